package biasvar

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// KNN is k-nearest-neighbour regression: ŷ(x) is the mean response of the
// K training points closest to x in Euclidean distance. Distance ties go to
// the training point that comes first. K 0 means 5 (scikit-learn's
// n_neighbors); K larger than the training set fails the fit.
type KNN struct{ K int }

func (l KNN) k() int {
	if l.K == 0 {
		return 5
	}
	return l.K
}

// String returns "knn(k=K)".
func (l KNN) String() string { return fmt.Sprintf("knn(k=%d)", l.k()) }

// Fit keeps the training set; all work happens in Predict, O(n·d + n·k).
func (l KNN) Fit(x *mat.Dense, y []float64, _ *rand.Rand) (Model, error) {
	nb, err := newNeighbours(x, l.k(), "knn")
	if err != nil {
		return nil, err
	}
	return &knnModel{nb, y}, nil
}

// KNNClassifier is k-nearest-neighbour classification: the predicted class
// is the most frequent label among the K nearest training points (ties go
// to the smallest label, as scikit-learn's), and the class probabilities
// are (count + Alpha)/(K + Alpha·C) for C classes. K 0 means 5; Alpha 0
// gives the plain neighbour fractions, as scikit-learn's predict_proba.
type KNNClassifier struct {
	K     int
	Alpha float64
}

func (l KNNClassifier) k() int { return KNN{l.K}.k() }

// String returns "knnc(k=K)" or "knnc(k=K,alpha=A)".
func (l KNNClassifier) String() string {
	if l.Alpha != 0 {
		return fmt.Sprintf("knnc(k=%d,alpha=%g)", l.k(), l.Alpha)
	}
	return fmt.Sprintf("knnc(k=%d)", l.k())
}

// Fit keeps the training set and checks that the labels are classes.
func (l KNNClassifier) Fit(x *mat.Dense, y []float64, _ *rand.Rand) (Model, error) {
	if l.Alpha < 0 {
		return nil, fmt.Errorf("knnc: alpha %v is negative", l.Alpha)
	}
	nb, err := newNeighbours(x, l.k(), "knnc")
	if err != nil {
		return nil, err
	}
	classes := 0
	for i, v := range y {
		c := int(v)
		if float64(c) != v || c < 0 {
			return nil, fmt.Errorf("knnc: label %v of training point %d is not a class 0, 1, …", v, i)
		}
		classes = max(classes, c+1)
	}
	return &knnClassModel{neighbours: nb, y: y, alpha: l.Alpha, counts: make([]float64, classes)}, nil
}

// neighbours finds the k nearest training points with scratch space of its
// own (so a model is used by one goroutine).
type neighbours struct {
	x    *mat.Dense
	k    int
	dist []float64 // the k smallest distances so far, ascending
	idx  []int
}

func newNeighbours(x *mat.Dense, k int, who string) (neighbours, error) {
	n, _ := x.Dims()
	if k < 1 {
		return neighbours{}, fmt.Errorf("%s: k = %d; need k ≥ 1", who, k)
	}
	if k > n {
		return neighbours{}, fmt.Errorf("%s: k = %d exceeds the %d training points", who, k, n)
	}
	return neighbours{x: x, k: k, dist: make([]float64, k), idx: make([]int, k)}, nil
}

// find fills nb.idx with the k nearest rows to q, nearest first.
func (nb *neighbours) find(q []float64) {
	raw := nb.x.RawMatrix()
	n, d, stride, data := raw.Rows, raw.Cols, raw.Stride, raw.Data
	filled := 0
	worst := math.Inf(1) // the k-th smallest distance once k are filled
	for i := 0; i < n; i++ {
		var s float64
		if d == 1 {
			t := data[i*stride] - q[0]
			s = t * t
		} else {
			row := data[i*stride : i*stride+d]
			for j, v := range row {
				t := v - q[j]
				s += t * t
			}
		}
		if s >= worst {
			continue // not closer than the k-th: ties keep the earlier point
		}
		nb.insert(&filled, s, i)
		if filled == nb.k {
			worst = nb.dist[nb.k-1]
		}
	}
}

// insert puts (s, i) into the ascending list, after equal distances.
func (nb *neighbours) insert(filled *int, s float64, i int) {
	pos := *filled
	if *filled == nb.k {
		pos = nb.k - 1
	} else {
		*filled++
	}
	for pos > 0 && nb.dist[pos-1] > s {
		nb.dist[pos] = nb.dist[pos-1]
		nb.idx[pos] = nb.idx[pos-1]
		pos--
	}
	nb.dist[pos] = s
	nb.idx[pos] = i
}

type knnModel struct {
	neighbours
	y []float64
}

func (m *knnModel) Predict(q []float64) float64 {
	m.find(q)
	var s float64
	for _, i := range m.idx {
		s += m.y[i]
	}
	return s / float64(m.k)
}

type knnClassModel struct {
	neighbours
	y      []float64
	alpha  float64
	counts []float64
}

func (m *knnClassModel) count(q []float64) {
	m.find(q)
	clear(m.counts)
	for _, i := range m.idx {
		m.counts[int(m.y[i])]++
	}
}

func (m *knnClassModel) Predict(q []float64) float64 {
	m.count(q)
	best := 0
	for c, v := range m.counts {
		if v > m.counts[best] {
			best = c
		}
	}
	return float64(best)
}

func (m *knnClassModel) PredictProba(dst, q []float64) {
	m.count(q)
	den := float64(m.k) + m.alpha*float64(len(dst))
	for c := range dst {
		v := 0.0
		if c < len(m.counts) {
			v = m.counts[c]
		}
		dst[c] = (v + m.alpha) / den
	}
}
