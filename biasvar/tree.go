package biasvar

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Tree is a CART regression tree grown on squared error, with the rules of
// scikit-learn's DecisionTreeRegressor (version 1.2, best splitter,
// depth-first) so that the same data give the same tree:
//
//   - a node is a leaf when it is at MaxDepth, has fewer than 2 points (or
//     fewer than 2·MinLeaf), has impurity (the variance of its y) at most
//     the float64 machine epsilon, or has no valid split;
//   - candidate thresholds lie between consecutive distinct sorted values of
//     an input (values within 1e-7 count as equal), at their midpoint (or
//     at the lower value when the midpoint rounds up to the upper one);
//   - the split maximising Σ_left y)²/n_left + (Σ_right y)²/n_right wins,
//     the first one found on ties, with inputs scanned in column order
//     (scikit-learn scans them in a random order, which matters only for
//     exact ties between inputs);
//   - x ≤ threshold goes left; a leaf predicts the mean y of its points.
//
// MaxDepth 0 means unlimited (grow until the leaves are pure); MinLeaf 0
// means 1.
type Tree struct {
	MaxDepth int
	MinLeaf  int
}

// String returns "tree(depth=D)" (D "inf" when unlimited).
func (l Tree) String() string {
	d := "inf"
	if l.MaxDepth > 0 {
		d = fmt.Sprint(l.MaxDepth)
	}
	if l.MinLeaf > 1 {
		return fmt.Sprintf("tree(depth=%s,min_leaf=%d)", d, l.MinLeaf)
	}
	return fmt.Sprintf("tree(depth=%s)", d)
}

// featureThreshold is scikit-learn's FEATURE_THRESHOLD: input values closer
// than this are one value.
const featureThreshold = 1e-7

// epsilon is scikit-learn's EPSILON, the impurity below which a node is pure.
const epsilon = 0x1p-52

type treeNode struct {
	feature     int // −1 for a leaf
	threshold   float64
	left, right int
	value       float64
}

type treeModel struct{ nodes []treeNode }

func (m *treeModel) Predict(x []float64) float64 {
	i := 0
	for m.nodes[i].feature >= 0 {
		nd := &m.nodes[i]
		if x[nd.feature] <= nd.threshold {
			i = nd.left
		} else {
			i = nd.right
		}
	}
	return m.nodes[i].value
}

// Fit grows the tree, O(d·n log n) per level.
func (l Tree) Fit(x *mat.Dense, y []float64, _ *rand.Rand) (Model, error) {
	if l.MaxDepth < 0 {
		return nil, fmt.Errorf("tree: depth %d is negative (0 means unlimited)", l.MaxDepth)
	}
	if l.MinLeaf < 0 {
		return nil, fmt.Errorf("tree: min_leaf %d is negative", l.MinLeaf)
	}
	n, d := x.Dims()
	if n < 1 {
		return nil, fmt.Errorf("tree: no training points")
	}
	g := &treeGrower{x: x, y: y, d: d, maxDepth: l.MaxDepth, minLeaf: max(l.MinLeaf, 1)}
	if g.maxDepth == 0 {
		g.maxDepth = math.MaxInt
	}
	g.idx = make([]int, n)
	for i := range g.idx {
		g.idx[i] = i
	}
	g.xf = make([]float64, n)
	g.grow(0, n, 0)
	return &treeModel{g.nodes}, nil
}

type treeGrower struct {
	x                 *mat.Dense
	y                 []float64
	d                 int
	maxDepth, minLeaf int
	idx               []int
	xf                []float64
	nodes             []treeNode
}

// grow builds the node for idx[start:end] and returns its index.
func (g *treeGrower) grow(start, end, depth int) int {
	self := len(g.nodes)
	g.nodes = append(g.nodes, treeNode{feature: -1})
	n := end - start
	var sum, sq float64
	for _, i := range g.idx[start:end] {
		sum += g.y[i]
		sq += g.y[i] * g.y[i]
	}
	mean := sum / float64(n)
	g.nodes[self].value = mean
	impurity := sq/float64(n) - mean*mean
	if depth >= g.maxDepth || n < 2 || n < 2*g.minLeaf || impurity <= epsilon {
		return self
	}
	feature, pos, threshold, ok := g.bestSplit(start, end, sum)
	if !ok {
		return self
	}
	// Partition idx[start:end] so that idx[start:pos] is the left child,
	// each side in ascending order of the split input (as the split saw it).
	g.sortBy(start, end, feature)
	left := g.grow(start, pos, depth+1)
	right := g.grow(pos, end, depth+1)
	g.nodes[self].feature = feature
	g.nodes[self].threshold = threshold
	g.nodes[self].left, g.nodes[self].right = left, right
	return self
}

func (g *treeGrower) sortBy(start, end, f int) {
	seg := g.idx[start:end]
	slices.SortStableFunc(seg, func(a, b int) int {
		va, vb := g.x.At(a, f), g.x.At(b, f)
		switch {
		case va < vb:
			return -1
		case va > vb:
			return 1
		}
		return 0
	})
}

// bestSplit scans every input for the best threshold of idx[start:end].
func (g *treeGrower) bestSplit(start, end int, sumTotal float64) (feature, pos int, threshold float64, ok bool) {
	best := math.Inf(-1)
	for f := 0; f < g.d; f++ {
		g.sortBy(start, end, f)
		xf := g.xf[:end-start]
		for k, i := range g.idx[start:end] {
			xf[k] = g.x.At(i, f)
		}
		n := len(xf)
		if xf[n-1] <= xf[0]+featureThreshold {
			continue // constant input
		}
		var sumLeft float64
		added := 0 // points added to sumLeft
		p := 0
		for p < n {
			for p+1 < n && xf[p+1] <= xf[p]+featureThreshold {
				p++
			}
			p++
			if p >= n {
				break
			}
			if p < g.minLeaf || n-p < g.minLeaf {
				continue
			}
			for ; added < p; added++ {
				sumLeft += g.y[g.idx[start+added]]
			}
			sumRight := sumTotal - sumLeft
			proxy := sumLeft*sumLeft/float64(p) + sumRight*sumRight/float64(n-p)
			if proxy > best {
				best = proxy
				feature, pos = f, start+p
				threshold = xf[p-1]/2 + xf[p]/2
				if threshold == xf[p] || math.IsInf(threshold, 0) {
					threshold = xf[p-1]
				}
				ok = true
			}
		}
	}
	return feature, pos, threshold, ok
}
