package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// C-43: every --json of every command goes through the one JSON writer
// (cli.WriteJSON, via writeJSON), which names a NaN or an infinity
// instead of failing with encoding/json's bare "unsupported value": no
// command file encodes JSON itself.
func TestOneJSONWriter(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	encoder := regexp.MustCompile(`json\.(NewEncoder|Marshal|MarshalIndent)\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if encoder.MatchString(line) {
				t.Errorf("%s:%d: encodes JSON itself; print reports with writeJSON (cli.WriteJSON): %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
