package mixture

import (
	"fmt"
	"io"

	"github.com/latentgo/latent/internal/numfmt"
	"gonum.org/v1/gonum/mat"
)

// Evaluation is how well a model fits some data: `latent gmm score`.
type Evaluation struct {
	Rows          int     `json:"rows"`
	LogLikelihood float64 `json:"log_likelihood"`       // mean per row (per unit of weight), in nats
	Total         float64 `json:"total_log_likelihood"` // LogLikelihood × the number of rows (the total weight)
	// BIC = −2·Total + p·ln n and AIC = −2·Total + 2p, scikit-learn's sign
	// (lower is better), with p = NumParams and n the number of rows (the
	// total weight); MclustBIC = −BIC, mclust's sign (higher is better).
	BIC       float64 `json:"bic"`
	AIC       float64 `json:"aic"`
	MclustBIC float64 `json:"mclust_bic"`
	NumParams int     `json:"n_parameters"`
}

// Evaluate returns the log-likelihood of x under the model (weighted by w
// when not nil) with BIC and AIC on these data: Score, BIC and AIC in one
// pass. A row of zero density makes LogLikelihood −Inf (ScoreSamples says
// which). Errors and panics are Score's.
func (m *Model) Evaluate(x mat.Matrix, w []float64) (*Evaluation, error) {
	s, err := m.Score(x, w)
	if err != nil {
		return nil, err
	}
	rows, _ := x.Dims()
	n := float64(rows)
	if w != nil {
		n = 0
		for _, v := range w {
			n += v
		}
	}
	ev := &Evaluation{Rows: rows, LogLikelihood: s, Total: s * n, NumParams: m.NumParams()}
	ev.BIC, ev.AIC = criteria(ev.Total, ev.NumParams, n)
	ev.MclustBIC = -ev.BIC
	return ev, nil
}

// WriteText writes the evaluation as `latent gmm score` prints it (after
// the file's name): rows, the log-likelihood per row and in total, BIC, AIC
// and the number of free parameters, on two lines.
func (e *Evaluation) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d rows; log-likelihood %s per row (%s in total)\nBIC %s, AIC %s on these data (scikit-learn's sign, lower is better); mclust's BIC %s (higher is better); %d free parameters\n",
		e.Rows, numfmt.Fixed(e.LogLikelihood, 6), numfmt.Fixed(e.Total, 4), numfmt.Fixed(e.BIC, 4), numfmt.Fixed(e.AIC, 4), numfmt.Fixed(e.MclustBIC, 4), e.NumParams)
	return err
}
