package modelfile

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/latentgo/latent/internal/fileio"
)

// sample is a body shaped like the models' bodies: required fields, an
// optional one, nested arrays and a nested struct.
type sample struct {
	Weights []float64   `json:"weights"`
	Means   [][]float64 `json:"means"`
	Names   []string    `json:"feature_names,omitempty"`
	Layer   struct {
		In  int `json:"in"`
		Out int `json:"out"`
	} `json:"layer"`
}

func newSample() sample {
	var s sample
	s.Weights = []float64{1.0 / 3, 2.0 / 3}
	s.Means = [][]float64{{1e-320, math.MaxFloat64}, {-0.5, math.SmallestNonzeroFloat64}}
	s.Layer.In, s.Layer.Out = 2, 3
	return s
}

// J-01, J-09: save then load gives the same bits.
func TestRoundTripBitExact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	want := newSample()
	if err := Save(path, "test", 1, want, fileio.Options{}); err != nil {
		t.Fatal(err)
	}
	var got sample
	h, err := Load(path, "test", 1, &got)
	if err != nil {
		t.Fatal(err)
	}
	if h.Format != "latent.test" || h.Version != 1 || !strings.HasPrefix(h.Producer, "latent ") || !h.Created.IsZero() {
		t.Errorf("header: got %+v", h)
	}
	for i := range want.Weights {
		if math.Float64bits(got.Weights[i]) != math.Float64bits(want.Weights[i]) {
			t.Errorf("weights[%d]: got %b, want %b", i, got.Weights[i], want.Weights[i])
		}
	}
	for i := range want.Means {
		for j := range want.Means[i] {
			if math.Float64bits(got.Means[i][j]) != math.Float64bits(want.Means[i][j]) {
				t.Errorf("means[%d][%d]: got %v, want %v", i, j, got.Means[i][j], want.Means[i][j])
			}
		}
	}
}

// J-02: a file is byte-reproducible with no environment to set (it records
// no creation time); the producer is recorded; a file written before that,
// with a "created" field, still loads and keeps its time.
func TestReproducibleBytes(t *testing.T) {
	a, err := Marshal("test", 1, newSample())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // a clock-stamped header would differ now
	b, _ := Marshal("test", 1, newSample())
	if string(a) != string(b) {
		t.Error("two marshals of the same model differ")
	}
	if strings.Contains(string(a), `"created"`) || !strings.Contains(string(a), `"producer": "latent `) {
		t.Errorf("header: want a producer and no created field:\n%s", a)
	}
	old := strings.Replace(string(a), `"producer"`, `"created": "2023-11-14T22:13:20Z",
  "producer"`, 1)
	var got sample
	h, err := Unmarshal([]byte(old), "old.json", "test", 1, &got)
	if err != nil {
		t.Fatalf("a file with a created field: %v", err)
	}
	if h.Created.Unix() != 1700000000 {
		t.Errorf("created: got %v, want 2023-11-14T22:13:20Z", h.Created)
	}
}

// J-04: NaN or Inf anywhere is refused with the field's path, and no file is
// written.
func TestSaveNonFinite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	s := newSample()
	s.Means[1][0] = math.NaN()
	err := Save(path, "test", 1, s, fileio.Options{})
	if err == nil || !strings.Contains(err.Error(), "body.means[1][0]") || !strings.Contains(err.Error(), "not finite") {
		t.Fatalf("got %v, want an error naming body.means[1][0]", err)
	}
	s = newSample()
	s.Weights[0] = math.Inf(-1)
	if err := Save(path, "test", 1, s, fileio.Options{}); err == nil || !strings.Contains(err.Error(), "body.weights[0]") {
		t.Fatalf("got %v, want an error naming body.weights[0]", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left behind: %v", ents)
	}
}

const good = `{"format":"latent.test","version":1,"producer":"latent 0.1.0","created":"2026-01-01T00:00:00Z",
"body":{"weights":[0.5,0.5],"means":[[1,2],[3,4]],"layer":{"in":2,"out":3}}}`

// J-03, J-05, J-07: hostile and corrupt documents, each refused with a
// message that names the place.
func TestUnmarshalRejects(t *testing.T) {
	big := `{"format":"latent.test","version":1,"producer":"x","created":"2026-01-01T00:00:00Z","body":` +
		strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`
	for _, c := range []struct {
		name, doc, want string
		is              error
	}{
		{"empty", ``, "empty document", nil},
		{"not json", `hello`, "line 1, column 1: invalid JSON", nil},
		{"truncated", good[:60], "ends too early", nil},
		{"trailing garbage", good + ` {"x":1}`, "unexpected data after the JSON document", nil},
		{"bare NaN token", strings.Replace(good, `0.5,0.5`, `NaN,0.5`, 1), "invalid JSON", nil},
		{"1e400", strings.Replace(good, `0.5,0.5`, `1e400,0.5`, 1), "body.weights[0]: number 1e400 does not fit a float64", nil},
		{"null field", strings.Replace(good, `"means":[[1,2],[3,4]]`, `"means":null`, 1), "body.means: null is not allowed", nil},
		{"null element", strings.Replace(good, `[1,2]`, `[1,null]`, 1), "body.means[0][1]: null", nil},
		{"duplicate key", strings.Replace(good, `"weights":[0.5,0.5]`, `"weights":[0.5,0.5],"weights":[1,0]`, 1), "body.weights: duplicate key", nil},
		{"unknown field", strings.Replace(good, `"layer"`, `"extra":1,"layer"`, 1), "body.extra: unknown field", nil},
		{"wrong case", strings.Replace(good, `"means"`, `"Means"`, 1), `did you mean "means"`, nil},
		{"missing field", strings.Replace(good, `"means":[[1,2],[3,4]],`, ``, 1), "body.means: missing required field", nil},
		{"missing nested", strings.Replace(good, `"in":2,`, ``, 1), "body.layer.in: missing required field", nil},
		{"missing header", strings.Replace(good, `"producer":"latent 0.1.0",`, ``, 1), "producer: missing required field", nil},
		{"unknown header", strings.Replace(good, `"version":1,`, `"version":1,"kind":"x",`, 1), "kind: unknown field", nil},
		{"wrong type", strings.Replace(good, `"in":2`, `"in":"two"`, 1), "body.layer.in: got a JSON string, want an integer", nil},
		{"fractional int", strings.Replace(good, `"in":2`, `"in":2.5`, 1), "body.layer.in", nil},
		{"other kind", strings.Replace(good, `latent.test`, `latent.vae`, 1), `holds a "vae" model, want "test"`, ErrKind},
		{"not latent", strings.Replace(good, `latent.test`, `sklearn`, 1), "not a latent model file", nil},
		{"newer version", strings.Replace(good, `"version":1`, `"version":7`, 1), "upgrade latent", ErrNewerVersion},
		{"version zero", strings.Replace(good, `"version":1`, `"version":0`, 1), "not a valid schema version", nil},
		{"deep nesting", big, "nested deeper than 64 levels", nil},
	} {
		var s sample
		_, err := Unmarshal([]byte(c.doc), "m.json", "test", 2, &s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "modelfile: m.json: ") {
			t.Errorf("%s: %q lacks the package and file prefix", c.name, err)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: got %v, want errors.Is %v", c.name, err, c.is)
		}
	}
}

// J-07: a file over the size cap is refused before it is parsed.
func TestReadSizeCap(t *testing.T) {
	r := strings.NewReader(strings.Repeat(" ", 1001))
	if _, err := readLimited(r, "huge.json", 1000); err == nil || !strings.Contains(err.Error(), "1000-byte limit") {
		t.Fatalf("got %v, want a size-limit error", err)
	}
	if data, err := readLimited(strings.NewReader(good), "m.json", int64(len(good))); err != nil || string(data) != good {
		t.Fatalf("a file of exactly the limit: got %v", err)
	}
}

// J-02: an older schema version is returned to the caller to migrate.
func TestOlderVersionAccepted(t *testing.T) {
	var s sample
	h, err := Unmarshal([]byte(good), "", "test", 3, &s)
	if err != nil || h.Version != 1 {
		t.Fatalf("got %v, %v; want version 1 accepted", h, err)
	}
	if s.Layer.Out != 3 || s.Means[1][1] != 4 {
		t.Errorf("body decoded wrongly: %+v", s)
	}
}

// J-10: a file written by an earlier latent keeps loading.
func TestGoldenV1(t *testing.T) {
	var s sample
	h, err := Load(filepath.Join("testdata", "sample_v1.json"), "test", 1, &s)
	if err != nil {
		t.Fatal(err)
	}
	if h.Producer != "latent 0.1.0-dev" || s.Weights[1] != 2.0/3 {
		t.Errorf("got %+v %+v", h, s)
	}
}
