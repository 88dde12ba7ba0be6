package mixture

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/modelfile"
)

// FullParams are a mixture's parameters in full form, whatever its
// covariance type: K weights, K means of D values and K symmetric D×D
// covariances (a tied model repeats its shared matrix, a diagonal one has
// zeros off the diagonal, a spherical one is σ_k²·I). Their JSON
// (encoding/json's Marshal) is a parameters file, which ReadParams reads
// back with the same bits, so that
// a fitted model's parameters can start another fit of any covariance type
// (Options.Start projects them, see Params); it is also the "model" of
// `latent gmm fit --json`.
type FullParams struct {
	K int `json:"k"`
	// Covariance is the covariance type of the model the parameters come
	// from; it does not bind a fit they start.
	Covariance  CovarianceType `json:"covariance_type"`
	Weights     []float64      `json:"weights"`
	Means       [][]float64    `json:"means"`       // [K][D]
	Covariances [][][]float64  `json:"covariances"` // [K][D][D]
}

// FullParams returns the model's parameters in full form (an empty
// FullParams for the zero Model).
func (m *Model) FullParams() *FullParams {
	if m.k == 0 {
		return &FullParams{}
	}
	p := &FullParams{K: m.k, Covariance: m.CovarianceType(), Weights: m.Weights(nil)}
	means := m.Means(nil)
	c := mat.NewSymDense(m.d, nil)
	for k := 0; k < m.k; k++ {
		p.Means = append(p.Means, means.RawRowView(k))
		m.Covariance(c, k)
		rows := make([][]float64, m.d)
		for i := range rows {
			rows[i] = make([]float64, m.d)
			for j := range rows[i] {
				rows[i][j] = c.At(i, j)
			}
		}
		p.Covariances = append(p.Covariances, rows)
	}
	return p
}

// Params returns p as Params for New or Options.Start: the weights and
// means as they are, each covariance as a SymDense of its upper triangle.
// It panics when a row of Means or Covariances is ragged.
func (p *FullParams) Params() *Params {
	k := len(p.Means)
	if k == 0 {
		return &Params{Weights: p.Weights}
	}
	d := len(p.Means[0])
	means := mat.NewDense(k, d, nil)
	for i, r := range p.Means {
		means.SetRow(i, r)
	}
	out := &Params{Weights: p.Weights, Means: means}
	for _, c := range p.Covariances {
		s := mat.NewSymDense(d, nil)
		for a := range d {
			for b := a; b < d; b++ {
				s.SetSym(a, b, c[a][b])
			}
		}
		out.Covariances = append(out.Covariances, s)
	}
	return out
}

// symTol is how far apart a[i][j] and a[j][i] of a covariance in a
// parameters file may be: absolute 1e-8 plus relative 1e-5, numpy's
// allclose defaults, enough for matrices printed to 6 digits.
const symAtol, symRtol = 1e-8, 1e-5

// ReadParams reads starting parameters (for Options.Start, or New) from r,
// a JSON document called name in errors. It is either a model file (Marshal,
// `latent gmm fit --out`), whose parameters come in full form, or a
// parameters file: a JSON object with
//
//	"weights"      [K]        mixing weights summing to 1
//	"means"        [K][D]
//	"covariances"  [K][D][D]  symmetric, in full form whatever the type
//
// and optionally "k" (which must be the number of means) and
// "covariance_type", as FullParams writes them. Other fields are ignored;
// ignored returns their names, sorted, so that a caller can say so.
//
// d is the number of columns of the data the parameters are for; 0 takes D
// from the file. ReadParams checks the shapes against it, and symmetry;
// New or Fit check the rest (weights summing to 1, positive definiteness,
// the numbers of weights and covariances). Errors name the file and the
// field (means[1], covariances[0][2]) or, for bad JSON, the line and column,
// and wrap ErrBadParams. It panics when d < 0.
func ReadParams(r io.Reader, name string, d int) (p *Params, ignored []string, err error) {
	if d < 0 {
		panic(fmt.Sprintf("mixture: ReadParams: d = %d", d))
	}
	data, err := io.ReadAll(io.LimitReader(r, modelfile.MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("mixture: %s: %w", name, err)
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("mixture: %s: %w: %s", name, ErrBadParams, fmt.Sprintf(format, a...))
	}
	if len(data) > modelfile.MaxFileSize {
		return nil, nil, bad("larger than %d bytes", modelfile.MaxFileSize)
	}
	var top map[string]json.RawMessage
	if err := modelfile.DecodeStrict(data, &top, ""); err != nil {
		return nil, nil, bad("%v; a parameters file is a JSON object with weights [K], means [K][D] and covariances [K][D][D]", err)
	}
	if _, ok := top["format"]; ok {
		m, err := Unmarshal(data, name)
		if err != nil {
			return nil, nil, err
		}
		if d != 0 && m.Dim() != d {
			return nil, nil, bad("the model has %d features, the data %d columns", m.Dim(), d)
		}
		return m.FullParams().Params(), nil, nil
	}
	var f FullParams
	for key, raw := range top {
		var err error
		switch key {
		case "k":
			err = modelfile.DecodeStrict(raw, &f.K, key)
		case "covariance_type":
			err = modelfile.DecodeStrict(raw, &f.Covariance, key)
			if _, perr := ParseCovarianceType(string(f.Covariance)); err == nil && perr != nil {
				err = fmt.Errorf("covariance_type: %q is not one of full, tied, diag, spherical", string(f.Covariance))
			}
		case "weights":
			err = modelfile.DecodeStrict(raw, &f.Weights, key)
		case "means":
			err = modelfile.DecodeStrict(raw, &f.Means, key)
		case "covariances":
			err = modelfile.DecodeStrict(raw, &f.Covariances, key)
		default:
			ignored = append(ignored, key)
		}
		if err != nil {
			return nil, nil, bad("%v", err)
		}
	}
	sort.Strings(ignored)
	for _, need := range []string{"weights", "means", "covariances"} {
		if _, ok := top[need]; !ok {
			return nil, nil, bad("%s is missing; the file needs weights [K], means [K][D] and covariances [K][D][D]", need)
		}
	}
	if err := f.check(d); err != nil {
		return nil, nil, bad("%v", err)
	}
	if _, ok := top["k"]; ok && f.K != len(f.Means) {
		return nil, nil, bad("k is %d, but there are %d means", f.K, len(f.Means))
	}
	return f.Params(), ignored, nil
}

// check checks the shapes of the means and covariances against d (0: the
// length of the first mean) and the symmetry of the covariances.
func (f *FullParams) check(d int) error {
	if len(f.Means) == 0 {
		return fmt.Errorf("means is empty")
	}
	want := "the data have %d columns"
	if d == 0 {
		d, want = len(f.Means[0]), "means[0] has %d"
	}
	for i, r := range f.Means {
		if len(r) != d {
			return fmt.Errorf("means[%d] has %d values; "+want, i, len(r), d)
		}
	}
	for i, c := range f.Covariances {
		if len(c) != d {
			return fmt.Errorf("covariances[%d] has %d rows, want %d", i, len(c), d)
		}
		for a := range c {
			if len(c[a]) != d {
				return fmt.Errorf("covariances[%d][%d] has %d values, want %d", i, a, len(c[a]), d)
			}
		}
		for a := range c {
			for b := 0; b < a; b++ {
				if v := c[a][b]; math.Abs(v-c[b][a]) > symAtol+symRtol*math.Abs(c[b][a]) {
					return fmt.Errorf("covariances[%d] is not symmetric ([%d][%d] = %v, [%d][%d] = %v)", i, a, b, v, b, a, c[b][a])
				}
			}
		}
	}
	return nil
}

// LoadParams reads the parameters file or model file at path (see
// ReadParams).
func LoadParams(path string, d int) (p *Params, ignored []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("mixture: %w", err)
	}
	defer f.Close()
	return ReadParams(f, path, d)
}
