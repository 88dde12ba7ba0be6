package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

type column struct {
	Name string  `json:"name"`
	SD   float64 `json:"sd"`
	Skip float64 `json:"-"`
	Opt  float64 `json:"opt,omitempty"`
}

type Inner struct {
	Loss float64 `json:"loss"`
}

type report struct {
	Inner
	File    string         `json:"file"`
	Columns []column       `json:"columns"`
	Numbers map[string]any `json:"numbers,omitempty"`
	Ptr     *column        `json:"ptr,omitempty"`
	Arr     [2]float32
	hidden  float64
}

// selfEncoded writes NaN as a string: its own encoding decides.
type selfEncoded float64

func (s selfEncoded) MarshalJSON() ([]byte, error) { return []byte(`"NaN"`), nil }

func TestJSONNamesTheField(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ok := func() report {
		return report{File: "a.csv", Columns: []column{{Name: "x", SD: 1}, {Name: "y", SD: 2}}, Numbers: map[string]any{"b": 1.0, "a": []float64{1}}}
	}
	for _, c := range []struct {
		name  string
		edit  func(r *report)
		field string
		value float64
	}{
		{"slice of structs", func(r *report) { r.Columns[1].SD = inf }, "columns[1].sd", inf},
		{"map in sorted order", func(r *report) { r.Numbers["z"] = nan; r.Numbers["c"] = math.Inf(-1) }, "numbers.c", math.Inf(-1)},
		{"inside a map value", func(r *report) { r.Numbers["a"] = []float64{1, nan} }, "numbers.a[1]", nan},
		{"embedded struct", func(r *report) { r.Loss = nan }, "loss", nan},
		{"pointer", func(r *report) { r.Ptr = &column{SD: inf} }, "ptr.sd", inf},
		{"array of float32", func(r *report) { r.Arr[1] = float32(inf) }, "Arr[1]", inf},
	} {
		r := ok()
		c.edit(&r)
		var w bytes.Buffer
		err := WriteJSON(&w, r)
		var nf *NonFiniteError
		if !errors.As(err, &nf) {
			t.Errorf("%s: got %v, want a *NonFiniteError", c.name, err)
			continue
		}
		if nf.Field != c.field || !(nf.Value == c.value || math.IsNaN(nf.Value) && math.IsNaN(c.value)) {
			t.Errorf("%s: got field %q value %v, want %q %v", c.name, nf.Field, nf.Value, c.field, c.value)
		}
		if w.Len() != 0 {
			t.Errorf("%s: wrote %d bytes on error", c.name, w.Len())
		}
		if !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: message %q does not name %s", c.name, err, c.field)
		}
	}
	// Fields encoding/json does not write, and values that encode
	// themselves, are not looked at.
	r := ok()
	r.Columns[0].Skip, r.hidden = nan, nan
	r.Numbers["self"] = selfEncoded(nan)
	if _, err := JSON(r); err != nil {
		t.Errorf("skipped fields: got %v, want nil", err)
	}
	if _, err := JSON(nan); err == nil || err.Error() != "cannot write JSON: the value is NaN, and JSON has no NaN or infinity" {
		t.Errorf("top level: got %v", err)
	}
}

// JSON's bytes are json.Encoder's with a two-space indent.
func TestJSONBytes(t *testing.T) {
	v := map[string]any{"html": "<a&b>", "n": 1.5e-300, "list": []int{1, 2}, "s": struct {
		A float64 `json:"a"`
	}{3}}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got, err := JSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("got %s, want %s", got, want.Bytes())
	}
}
