package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Imputation under the mixture: the conditional distribution of a row's
// missing coordinates given its observed ones is itself a mixture,
//
//	p(x_M | x_O) = Σ_k q_k(x_O) N(x_M | m_k, C_k),
//	q_k(x_O) ∝ π_k N(x_O | μ_kO, Σ_kOO),  m_k = μ_kM + Σ_kMO Σ_kOO⁻¹ (x_O − μ_kO),
//
// with C_k as in missing.go. Its mean is Σ_k q_k m_k and the variance of
// coordinate j is Σ_k q_k (C_k,jj + (m_kj − mean_j)²).

// Impute sets dst to the rows of x with each missing (NaN) cell replaced
// by its conditional mean under the mixture, E[x_j | x_O], and, when sd is
// not nil, sd to each cell's conditional standard deviation (0 for an
// observed cell). A row with every value missing gets the mixture's mean.
// Any model imputes, whether or not it allows missing values in its
// predictions. dst is allocated when nil; dst and sd (when not nil) must
// be N×D otherwise, and may not share memory with x unless dst is x.
// Errors: a zero Model, x of other than D columns, an infinity, a row of
// zero density under every component.
func (m *Model) Impute(dst, sd *mat.Dense, x mat.Matrix) (*mat.Dense, error) {
	n, err := m.imputeInput(x)
	if err != nil {
		return nil, err
	}
	dst = sizedDense(dst, n, m.d, "Impute")
	if sd != nil {
		sizedDense(sd, n, m.d, "Impute (sd)")
	}
	return dst, m.imputeRun(x, &imputePass{m: m, dst: dst, sd: sd})
}

// ImputeDraw sets dst to the rows of x with their missing (NaN) cells
// drawn from their conditional distribution under the mixture: for each
// row a component k with probability q_k(x_O), then x_M from N(m_k, C_k).
// Called M times with one rng it gives M multiple imputations (Rubin
// 1987). The draws of a row depend on rng's state and the row's index
// only, not on the number of cores. Shapes and errors are Impute's; it
// panics when rng is nil.
func (m *Model) ImputeDraw(dst *mat.Dense, x mat.Matrix, rng *rand.Rand) (*mat.Dense, error) {
	if rng == nil {
		panic("mixture: ImputeDraw: nil rng")
	}
	n, err := m.imputeInput(x)
	if err != nil {
		return nil, err
	}
	dst = sizedDense(dst, n, m.d, "ImputeDraw")
	return dst, m.imputeRun(x, &imputePass{m: m, dst: dst, draw: true, seed: rng.Uint64()})
}

// imputeInput checks x for Impute: a fitted model, D columns, no
// infinity; it returns the number of rows.
func (m *Model) imputeInput(x mat.Matrix) (int, error) {
	if err := m.fitted(); err != nil {
		return 0, err
	}
	if x == nil {
		panic("mixture: nil data matrix")
	}
	n, c := x.Dims()
	if c != m.d {
		return 0, dataErrorf("X has %d features, but the model is expecting %d features as input", c, m.d)
	}
	if _, err := checkRows(x, nil, true); err != nil {
		return 0, err
	}
	return n, nil
}

func (m *Model) imputeRun(x mat.Matrix, p *imputePass) error {
	p.miss = newPatterns(m)
	if _, _, err := em.Pass(context.Background(), em.Matrix(x, nil), p, false, em.Options{}); err != nil {
		return fmt.Errorf("mixture: %w", err)
	}
	return nil
}

// sizedDense returns dst, or a new n×d matrix when dst is nil; it panics
// when dst has another shape.
func sizedDense(dst *mat.Dense, n, d int, what string) *mat.Dense {
	if dst == nil {
		return mat.NewDense(n, d, nil)
	}
	if r, c := dst.Dims(); r != n || c != d {
		panic(fmt.Sprintf("mixture: %s: dst is %d×%d, want %d×%d", what, r, c, n, d))
	}
	return dst
}

// imputePass is an em.Model whose E-step writes each block's rows,
// imputed, into dst (and sd): the imputations run on every core, each
// worker writing its own rows.
type imputePass struct {
	m       *Model
	miss    *patterns
	dst, sd *mat.Dense
	draw    bool
	seed    uint64
}

func (p *imputePass) NewStats() em.Stats              { return nil }
func (p *imputePass) MStep(em.Stats) (float64, error) { return 0, nil }
func (p *imputePass) NewWorker() em.Worker {
	w := p.m.newWorker()
	w.miss = p.miss
	return &imputeWorker{p: p, w: w}
}

type imputeWorker struct {
	p *imputePass
	w *worker
}

// imputeStream is the PCG stream of ImputeDraw's per-row generators.
const imputeStream = 0x696d70757465 // "impute"

func (iw *imputeWorker) EStep(_ em.Stats, first int, x *mat.Dense, _ []float64) (em.Partial, error) {
	p, w := iw.p, iw.w
	m := p.m
	k, d, c := m.k, m.d, w.chunk
	raw := x.RawMatrix()
	ms, err := w.split(raw, first, false)
	if err != nil {
		return em.Partial{}, err
	}
	for _, i := range ms.complete {
		p.dst.SetRow(first+i, raw.Data[i*raw.Stride:i*raw.Stride+d])
		if p.sd != nil {
			clear(p.sd.RawRowView(first + i))
		}
	}
	z := make([]float64, d)
	q := make([]float64, k)
	for lo := 0; lo < len(ms.rows); lo += c {
		hi := min(lo+c, len(ms.rows))
		rows, pats := ms.rows[lo:hi], ms.pats[lo:hi]
		w.fillMissing(raw, first, nil, rows, pats, true)
		for t, i := range rows {
			row := first + i
			pt := pats[t]
			lp := w.lp[t*k : (t+1)*k]
			ll, sum := logNorm(lp, w.e)
			if math.IsInf(ll, 0) || math.IsNaN(ll) {
				return em.Partial{}, &em.RowError{Row: row, Err: errZeroDensity}
			}
			for comp := range q {
				q[comp] = w.e[comp] / sum
			}
			out := p.dst.RawRowView(row)
			copy(out, raw.Data[i*raw.Stride:i*raw.Stride+d])
			// m_kj = μ_kj + diff_kj for the missing j.
			cm := func(comp, j int) float64 { return m.means[comp*d+j] + w.diff[comp*c*d+t*d+j] }
			if p.draw {
				rr := rand.New(rand.NewPCG(p.seed^imputeStream, uint64(row)))
				u := rr.Float64()
				comp, acc := k-1, 0.0
				for j, v := range q {
					if acc += v; u < acc {
						comp = j
						break
					}
				}
				nm := len(pt.mis)
				lc := w.miss.drawFactor(&pt.comp[comp], nm)
				for a := 0; a < nm; a++ {
					z[a] = rr.NormFloat64()
				}
				for a, j := range pt.mis {
					v := cm(comp, j)
					for b := 0; b <= a; b++ {
						v += lc[a*nm+b] * z[b]
					}
					out[j] = v
				}
				continue
			}
			var sdr []float64
			if p.sd != nil {
				sdr = p.sd.RawRowView(row)
				clear(sdr)
			}
			for a, j := range pt.mis {
				mean := 0.0
				for comp, v := range q {
					mean += v * cm(comp, j)
				}
				out[j] = mean
				if sdr == nil {
					continue
				}
				nm := len(pt.mis)
				vr := 0.0
				for comp, v := range q {
					dv := cm(comp, j) - mean
					vr += v * (pt.comp[comp].c[a*nm+a] + dv*dv)
				}
				sdr[j] = math.Sqrt(math.Max(vr, 0))
			}
		}
	}
	return em.Partial{Weight: float64(raw.Rows)}, nil
}
