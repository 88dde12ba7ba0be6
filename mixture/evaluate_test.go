package mixture

import (
	"math"
	"strings"
	"testing"
)

// Evaluate gives the bits of Score, BIC and AIC; with weights, n is their
// sum; a row of zero density is −Inf, not an error.
func TestEvaluate(t *testing.T) {
	d := randomData(newRNG(72), 500, 2, 3, 10, Full)
	m, _ := fitted(t, d.x, Options{K: 2, Seed: 1})
	ev, err := m.Evaluate(d.x, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := m.Score(d.x, nil)
	bic, _ := m.BIC(d.x)
	aic, _ := m.AIC(d.x)
	if ev.Rows != 500 || ev.LogLikelihood != s || ev.Total != s*500 || ev.BIC != bic || ev.AIC != aic || ev.MclustBIC != -bic || ev.NumParams != m.NumParams() {
		t.Errorf("got %+v, want rows 500, score %v, BIC %v, AIC %v", ev, s, bic, aic)
	}
	w := make([]float64, 500)
	for i := range w {
		w[i] = 2 // every row twice: n = 1000
	}
	evw, err := m.Evaluate(d.x, w)
	if err != nil {
		t.Fatal(err)
	}
	sw, _ := m.Score(d.x, w)
	wantBIC := -2*sw*1000 + float64(m.NumParams())*math.Log(1000)
	if evw.LogLikelihood != sw || evw.Total != sw*1000 || math.Abs(evw.BIC-wantBIC) > 1e-9*math.Abs(wantBIC) {
		t.Errorf("weighted: got %+v, want score %v, BIC %v", evw, sw, wantBIC)
	}
	far := d.x.Slice(0, 2, 0, 3).(interface{ Set(i, j int, v float64) })
	far.Set(0, 0, 1e200)
	ev, err = m.Evaluate(d.x, nil)
	if err != nil || !math.IsInf(ev.LogLikelihood, -1) {
		t.Errorf("a far row: got %v, %v; want −Inf and no error", ev.LogLikelihood, err)
	}
	var b strings.Builder
	(&Evaluation{Rows: 3, LogLikelihood: -1.5, Total: -4.5, BIC: 12, AIC: 11, MclustBIC: -12, NumParams: 2}).WriteText(&b)
	want := "3 rows; log-likelihood -1.500000 per row (-4.5000 in total)\nBIC 12.0000, AIC 11.0000 on these data (scikit-learn's sign, lower is better); mclust's BIC -12.0000 (higher is better); 2 free parameters\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
