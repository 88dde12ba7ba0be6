package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// caseID matches a test-case ID (M-12), or a range of them (C-09 … C-12).
var caseID = regexp.MustCompile(`\b([ABCJMNPV])-(\d{2})\b(?:\s*(?:…|\.\.\.)\s*([ABCJMNPV])-(\d{2}))?`)

// citedIDs returns the IDs that src cites, ranges expanded.
func citedIDs(src string) []string {
	var ids []string
	for _, m := range caseID.FindAllStringSubmatch(src, -1) {
		a, _ := strconv.Atoi(m[2])
		b := a
		if m[3] == m[1] {
			b, _ = strconv.Atoi(m[4])
		}
		for i := a; i <= b; i++ {
			ids = append(ids, m[1]+"-"+strconv.Itoa(i/10)+strconv.Itoa(i%10))
		}
	}
	return ids
}

// TestTestCaseList checks docs/testcases.md, the list of test-case IDs that
// doc comments and tests cite: every ID cited in a Go file or a CLI script
// has its line, and every test file the list names for an ID cites it.
func TestTestCaseList(t *testing.T) {
	const root = "../.."
	listed := map[string][]string{} // ID → test files named on its line
	f, err := os.Open(filepath.Join(root, "docs", "testcases.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) != 5 || !caseID.MatchString(cells[1]) {
			continue
		}
		id := strings.TrimSpace(cells[1])
		if _, dup := listed[id]; dup {
			t.Errorf("docs/testcases.md lists %s twice", id)
		}
		files := []string{}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[3], -1) {
			files = append(files, m[1])
		}
		listed[id] = files
	}
	if len(listed) < 100 {
		t.Fatalf("docs/testcases.md: read %d IDs; is the table's layout (| ID | what | where |) intact?", len(listed))
	}
	cites := map[string]map[string]bool{} // file → IDs it cites
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".txtar")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		cites[rel] = map[string]bool{}
		for _, id := range citedIDs(string(src)) {
			cites[rel][id] = true
			if _, ok := listed[id]; !ok && rel != "cmd/latent/testcases_test.go" {
				t.Errorf("%s cites %s, which docs/testcases.md does not list: add its line", rel, id)
				listed[id] = nil // report once
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(listed))
	for id := range listed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, file := range listed[id] {
			if strings.HasSuffix(file, "_test.go") || strings.HasSuffix(file, ".txtar") {
				if !cites[file][id] {
					t.Errorf("docs/testcases.md names %s for %s, but it does not cite %s (moved or renamed?)", file, id, id)
				}
			}
		}
	}
}
