package mixture

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// A model file records how the fit treated its data: missing values and
// the reader's markers, the parts fixed, the names of the known classes;
// they load back, and a model of plain data writes none of them (its file
// is the file of before).
func TestModelFileRecordsData(t *testing.T) {
	d := randomData(newRNG(91), 200, 2, 3, 6, Full)
	x := deleteCells(d.x, 0.2, newRNG(92))
	pre, _ := fitted(t, x, Options{K: 2, Missing: true, Seed: 1, MaxIter: 2})
	known := make([]int, 200)
	for i := range known {
		known[i] = NoLabel
		if i%5 == 0 {
			known[i] = d.labels[i]
		}
	}
	m, _ := fitted(t, x, Options{K: 2, Missing: true, MissingMarkers: []string{"", "NA"}, Known: known,
		ClassNames: []string{"a", "b"}, Fix: FixWeights, Start: pre.FullParams().Params()})
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"missing"`, `"markers"`, `"fixed"`, `"classes"`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("the file has no %s", key)
		}
	}
	got, err := Unmarshal(data, "m.json")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Missing() || !slices.Equal(got.MissingMarkers(), []string{"", "NA"}) || got.Fixed() != FixWeights || !slices.Equal(got.Classes(), []string{"a", "b"}) {
		t.Errorf("loaded: missing %v %q, fixed %s, classes %v", got.Missing(), got.MissingMarkers(), got.Fixed(), got.Classes())
	}
	if got.NumParams() != m.NumParams() {
		t.Errorf("loaded: %d free parameters, fitted %d", got.NumParams(), m.NumParams())
	}
	plain, _ := fitted(t, d.x, Options{K: 2, Seed: 1})
	pd, _ := plain.Marshal()
	for _, key := range []string{`"missing"`, `"fixed"`, `"classes"`} {
		if bytes.Contains(pd, []byte(key)) {
			t.Errorf("a plain model's file has %s", key)
		}
	}
	for _, c := range []struct{ from, to, frag string }{
		{`"fixed": [`, `"fixed": ["sigma", `, `body.fixed[0]: "sigma" is not weights`},
		{`"classes": [`, `"classes": ["b", `, `body.classes: 3 class names for K = 2`},
		{`"a",`, `"b",`, `body.classes[1]: "b" repeats classes[0]`},
	} {
		bad := strings.Replace(string(data), c.from, c.to, 1)
		if bad == string(data) {
			t.Fatalf("no %q in the file", c.from)
		}
		_, err := Unmarshal([]byte(bad), "bad.json")
		wantErr(t, c.frag, err, c.frag)
	}
}
