package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gmm bootstrap and gmm lrt on messy data (issue 15): bad weights and
// rows are data errors (exit 1) naming their line, bad flags usage errors
// (exit 2), and neither writes a report.
func TestGmmBootstrapMessyExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var rows strings.Builder
	rows.WriteString("a,b,w\n")
	for i := 0; i < 30; i++ {
		v := float64(i % 10)
		rows.WriteString(strings.Join([]string{ftoa(v + 0.1*float64(i%3)), ftoa(2*v - 0.3*float64(i%4)), "1"}, ",") + "\n")
	}
	good := write("good.csv", rows.String())
	neg := write("neg.csv", "a,b,w\n1,2,1\n3,4,-1\n")
	zero := write("zero.csv", "a,b,w\n1,2,0\n3,4,0\n")
	holes := write("holes.csv", "a,b,w\n1,2,1\nNA,NA,1\n3,4,1\n")
	model := filepath.Join(dir, "m.json")
	var out, errb bytes.Buffer
	if code := run([]string{"gmm", "fit", good, "-k", "2", "--weights", "w", "--out", model}, nil, &out, &errb); code != exitOK {
		t.Fatalf("fit: exit %d: %s", code, errb.String())
	}
	report := filepath.Join(dir, "report.txt")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"gmm", "bootstrap", neg, "--model", model, "--weights", "w", "--out", report}, exitFailure, "neg.csv:3:"},
		{[]string{"gmm", "bootstrap", zero, "--model", model, "--weights", "w", "--out", report}, exitFailure, "every weight is 0"},
		{[]string{"gmm", "bootstrap", holes, "--model", model, "--weights", "w", "--missing", "NA", "--out", report}, exitFailure, "holes.csv:3: every value of the row is missing"},
		{[]string{"gmm", "lrt", neg, "--weights", "w", "--out", report}, exitFailure, "the weight is negative"},
		{[]string{"gmm", "lrt", holes, "--weights", "w", "--missing", "NA", "--out", report}, exitFailure, "every value of the row is missing"},
		{[]string{"gmm", "bootstrap", good, "--model", model, "--weights", "w", "--nboot", "1", "--out", report}, exitUsage, "--nboot 1"},
		{[]string{"gmm", "lrt", good, "--weights", "w", "--max-k", "1", "--out", report}, exitUsage, "--max-k 1"},
	} {
		out.Reset()
		errb.Reset()
		code := run(tc.args, nil, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args[1:3], code, errb.String(), tc.code, tc.want)
		}
		if _, err := os.Stat(report); err == nil {
			t.Fatalf("%v: wrote %s", tc.args, report)
		}
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
