package tour

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func part(name string, files []string, figs []Figure, err error) Part {
	return Part{Name: name, Title: "Title " + name, Files: files, Run: func(context.Context) (*Section, error) {
		if err != nil {
			return nil, err
		}
		return &Section{Text: "Text of " + name + ".\n", Figures: figs, Numbers: map[string]any{"n": 1.5}}, nil
	}}
}

func TestSelectAndFiles(t *testing.T) {
	parts := []Part{part("a", nil, nil, nil), part("b", []string{"b.png"}, nil, nil), part("c", []string{"c1.png", "c2.png"}, nil, nil)}
	for _, c := range []struct {
		only, names, files, err string
	}{
		{"", "a b c", "report.md report.json b.png c1.png c2.png", ""},
		{"c, a", "c a", "report.md report.json c1.png c2.png", ""},
		{"a,x", "", "", `no part "x"; the parts are a, b, c`},
	} {
		got, err := Select(parts, c.only)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("Select(%q): got %v, want %q", c.only, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if names := strings.Join(Names(got), " "); names != c.names {
			t.Errorf("Select(%q): got %s, want %s", c.only, names, c.names)
		}
		if files := strings.Join(Files(got), " "); files != c.files {
			t.Errorf("Files(Select(%q)): got %s, want %s", c.only, files, c.files)
		}
	}
}

func TestRun(t *testing.T) {
	var calls []string
	progress := func(p Progress) { calls = append(calls, fmt.Sprintf("%d/%d %s", p.Done, p.Total, p.Part)) }
	parts := []Part{part("a", nil, nil, nil), part("b", []string{"b.png"}, []Figure{{"b.png", "A chart"}}, nil)}
	rep, err := Run(t.Context(), parts, 7, "latent test", progress)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(calls, ", "); got != "0/2 a, 1/2 b, 2/2 " {
		t.Errorf("progress: got %q", got)
	}
	if len(rep.Sections) != 2 || rep.Sections[1].Name != "b" || rep.Sections[1].Title != "Title b" || rep.Seed != 7 {
		t.Fatalf("report: got %+v", rep)
	}
	md := string(rep.Markdown())
	want := "# The latent tour\n\nProduced by `latent demo --seed 7` (latent test).\n\n## Title a\n\nText of a.\n\n## Title b\n\nText of b.\n\n![A chart](b.png)\n\n*A chart*\n"
	if md != want {
		t.Errorf("markdown: got %q, want %q", md, want)
	}
	for _, s := range rep.Sections {
		s.Seconds = 0.25
	}
	var b strings.Builder
	if err := rep.WriteText(&b, "d/report.md", "d/report.json", 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if want := "latent demo: 2 parts in 1.5s; wrote d/report.md and d/report.json\n  a            0.2s  \n  b            0.2s  b.png\n"; b.String() != want {
		t.Errorf("text: got %q, want %q", b.String(), want)
	}
	js, err := rep.JSON()
	if err != nil || !strings.Contains(string(js), `"caption": "A chart"`) || !strings.HasSuffix(string(js), "}\n") {
		t.Errorf("json: got %s, %v", js, err)
	}
	rep.Sections[0].Numbers["bad"] = math.NaN()
	if _, err := rep.JSON(); err == nil || !strings.Contains(err.Error(), "sections[0].numbers.bad is NaN") {
		t.Errorf("json with NaN: got %v", err)
	}
}

func TestRunStops(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		parts []Part
		want  string
	}{
		{[]Part{part("a", nil, nil, nil), part("b", nil, nil, boom)}, "b: boom"},
		{[]Part{part("a", []string{"a.png"}, []Figure{{"other.png", ""}}, nil)}, "a: reports the figure other.png, which the part does not declare in its Files"},
	} {
		_, err := Run(t.Context(), c.parts, 1, "p", nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}
