package famix

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// TestREADMEExamples runs the README's two latent mix examples through the
// library calls the command makes and checks that the README shows their
// output as printed (so the README's numbers stay true).
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, tab *Table, ks []int, crit Criterion, params bool) {
		o := tab.Options(0)
		o.EM = em.Options{NInit: 3, Seed: 1}
		m, rep, err := Select(context.Background(), tab.X, tab.Weights, ks, crit, o)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		rep.WriteText(&b)
		if params {
			b.WriteString("\n")
			m.WriteText(&b)
		}
		if !bytes.Contains(readme, b.Bytes()) {
			t.Errorf("%s: the README does not show this output:\n%s", name, b.String())
		}
	}
	check("latent class analysis", readTable(t, "testdata/lca.csv", Categorical), []int{1, 2, 3, 4}, ICL, false)

	m, err := Load("testdata/patients.json")
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(400, m.Dim(), nil)
	m.Sample(x, nil, rand.New(rand.NewPCG(3, 0))) // latent mix sample --seed 3
	var csv bytes.Buffer
	if err := m.WriteCSV(&csv, x, nil); err != nil {
		t.Fatal(err)
	}
	cols := map[string]Family{"age": Gaussian, "income": Gaussian, "job": Categorical, "visits": Poisson, "smoker": Bernoulli}
	tab, err := ReadTable(strings.NewReader(csv.String()), TableOptions{Name: "p.csv", Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	check("mixed-type table", tab, []int{1, 2, 3}, BIC, true)
}
