package modelfile

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzUnmarshal checks that any document either fails with a prefixed error
// or decodes into a body that marshals and decodes back to the same value.
// Inputs the fuzzer found are kept in testdata/fuzz/FuzzUnmarshal.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(`{"format":"latent.test","version":1}`))
	f.Add([]byte(`{"a":[[[[1]]]]}`))
	f.Add([]byte(strings.Replace(good, `0.5,0.5`, `1e400,0.5`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s sample
		_, err := Unmarshal(data, "f.json", "test", 1, &s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "modelfile: f.json: ") {
				t.Fatalf("unprefixed error %q", err)
			}
			return
		}
		out, err := Marshal("test", 1, s)
		if err != nil {
			t.Fatalf("an accepted body does not marshal: %v", err)
		}
		var back sample
		if _, err := Unmarshal(out, "back.json", "test", 1, &back); err != nil {
			t.Fatalf("re-reading a written file: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(s, back) {
			t.Fatalf("round trip changed the body: %+v vs %+v", s, back)
		}
	})
}
