package datasets

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/csvio"
)

//go:embed data/*.csv
var files embed.FS

// Dataset is an embedded data set.
type Dataset struct {
	Name      string     // short name: faithful, iris, digits
	Title     string     // one line describing it
	Source    string     // provenance
	X         *mat.Dense // one row per observation
	Columns   []string   // names of the columns of X
	Labels    []string   // class labels, nil when the set has none
	LabelName string     // name of the label column, "" when none
}

// Info describes a data set without loading it.
type Info struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	Rows      int    `json:"rows"`
	Columns   int    `json:"columns"`
	LabelName string `json:"label,omitempty"`
	Source    string `json:"source"`
}

var catalog = map[string]Info{
	"faithful": {Name: "faithful", Rows: 272, Columns: 2,
		Title:  "Old Faithful geyser: eruption length and waiting time (min)",
		Source: "Azzalini & Bowman (1990), Applied Statistics 39:357-365; R datasets::faithful"},
	"iris": {Name: "iris", Rows: 150, Columns: 4, LabelName: "species",
		Title:  "Fisher's Iris: sepal and petal length and width (cm), 3 species",
		Source: "Fisher (1936), Annals of Eugenics 7:179-188; corrected version shipped with scikit-learn"},
	"digits": {Name: "digits", Rows: 1797, Columns: 64, LabelName: "digit",
		Title:  "8x8 handwritten digits, pixel counts 0..16, labels 0..9",
		Source: "UCI Optical Recognition of Handwritten Digits (Alpaydin & Kaynak 1998), test part; CC BY 4.0"},
}

// List returns the embedded data sets, sorted by name.
func List() []Info {
	out := make([]Info, 0, len(catalog))
	for _, in := range catalog {
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Load returns the embedded data set called name; every call returns fresh
// memory that the caller may change.
func Load(name string) (*Dataset, error) {
	info, ok := catalog[name]
	if !ok {
		names := make([]string, 0, len(catalog))
		for _, in := range List() {
			names = append(names, in.Name)
		}
		return nil, fmt.Errorf("datasets: no data set %q; the embedded sets are %s", name, strings.Join(names, ", "))
	}
	raw, err := files.ReadFile("data/" + name + ".csv")
	if err != nil {
		panic("datasets: embedded file missing: " + err.Error())
	}
	tab, err := csvio.ReadAll(bytes.NewReader(raw), csvio.Options{Name: name + ".csv", Label: info.LabelName})
	if err != nil {
		panic("datasets: embedded file unreadable: " + err.Error())
	}
	return &Dataset{Name: name, Title: info.Title, Source: info.Source,
		X: tab.X, Columns: tab.Columns, Labels: tab.Labels, LabelName: tab.LabelName}, nil
}

func mustLoad(name string) *Dataset {
	d, err := Load(name)
	if err != nil {
		panic(err)
	}
	return d
}

// Faithful returns the Old Faithful data: 272 rows, columns eruptions and
// waiting, in minutes; no labels.
func Faithful() *Dataset { return mustLoad("faithful") }

// Iris returns Fisher's Iris data: 150 rows, four measurements in cm, labels
// setosa, versicolor and virginica.
func Iris() *Dataset { return mustLoad("iris") }

// Digits returns the 8×8 digits: 1797 rows of 64 pixel counts in 0..16
// (row-major), labels "0".."9".
func Digits() *Dataset { return mustLoad("digits") }

// CSV returns the embedded file of a data set, byte for byte.
func CSV(name string) ([]byte, error) {
	if _, ok := catalog[name]; !ok {
		_, err := Load(name)
		return nil, err
	}
	return files.ReadFile("data/" + name + ".csv")
}
