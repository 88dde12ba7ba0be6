package logmath

import (
	"math"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

var inf = math.Inf(1)

// N-01: the catalog's log-sum-exp cases; references from gonum's
// floats.LogSumExp test (5.4519143959375933) and by shifting it
// (−1005 + 4.4519143959375933 = −1000.5480856040624).
func TestLogSumExp(t *testing.T) {
	for _, c := range []struct {
		name string
		x    []float64
		want float64
	}{
		{"1..5", []float64{1, 2, 3, 4, 5}, 5.4519143959375933},
		{"large negative", []float64{-1001, -1002, -1003, -1004, -1005}, -1000.5480856040624},
		{"with +Inf", []float64{1, inf, 3}, inf},
		{"with -Inf", []float64{1, 2, 3, 4, 5, -inf}, 5.4519143959375933},
		{"all -Inf", []float64{-inf, -inf}, -inf},
		{"NaN", []float64{1, math.NaN(), 3}, math.NaN()},
		{"empty", nil, -inf},
		{"single", []float64{-3}, -3},
	} {
		got := LogSumExp(c.x)
		if !testutil.CloseNaN(got, c.want, 1e-14, 1e-15) {
			t.Errorf("%s: got %.17g, want %.17g", c.name, got, c.want)
		}
	}
	x := []float64{3, 1, 2}
	LogSumExp(x)
	if x[0] != 3 || x[1] != 1 {
		t.Error("LogSumExp modified its input")
	}
}

func TestLogAddExp(t *testing.T) {
	testutil.AssertClose(t, "1,2", LogAddExp(1, 2), LogSumExp([]float64{1, 2}), 1e-15, 0)
	testutil.AssertClose(t, "-1e3", LogAddExp(-1000, -1000), -1000+math.Ln2, 1e-12, 0)
	if v := LogAddExp(-inf, -inf); !math.IsInf(v, -1) {
		t.Errorf("-Inf,-Inf: got %v", v)
	}
	if v := LogAddExp(inf, 1); !math.IsInf(v, 1) {
		t.Errorf("+Inf: got %v", v)
	}
	if v := LogAddExp(math.NaN(), 1); !math.IsNaN(v) {
		t.Errorf("NaN: got %v", v)
	}
}

// N-06, N-07: softplus at 0, 89, ±Inf, NaN, 1e-8; log-sigmoid at −800.
func TestSoftplusLogSigmoid(t *testing.T) {
	testutil.AssertClose(t, "softplus(0)", Softplus(0), math.Ln2, 0, 1e-15)
	testutil.AssertClose(t, "softplus(89)", Softplus(89), 89, 0, 1e-15)
	testutil.AssertClose(t, "softplus(1e-8)", Softplus(1e-8), math.Ln2+0.5e-8, 0, 1e-15)
	testutil.AssertClose(t, "softplus(-800)", Softplus(-800), 0, 1e-300, 0)
	if Softplus(inf) != inf || Softplus(-inf) != 0 || !math.IsNaN(Softplus(math.NaN())) {
		t.Errorf("softplus at ±Inf, NaN: %v %v %v", Softplus(inf), Softplus(-inf), Softplus(math.NaN()))
	}
	testutil.AssertClose(t, "logsigmoid(-800)", LogSigmoid(-800), -800, 0, 1e-15)
	testutil.AssertClose(t, "logsigmoid(0)", LogSigmoid(0), -math.Ln2, 0, 1e-15)
	for _, x := range []float64{-30, -3, -0.5, 0, 0.5, 3, 30} {
		naive := math.Log(1 + math.Exp(x))
		testutil.AssertClose(t, "softplus vs naive", Softplus(x), naive, 1e-15, 1e-14)
		testutil.AssertClose(t, "logsigmoid identity", LogSigmoid(x), -Softplus(-x), 0, 0)
		testutil.AssertClose(t, "sigmoid", Sigmoid(x), 1/(1+math.Exp(-x)), 1e-16, 1e-14)
	}
	if Sigmoid(-1000) != 0 || Sigmoid(1000) != 1 || Sigmoid(0) != 0.5 {
		t.Errorf("sigmoid extremes: %v %v %v", Sigmoid(-1000), Sigmoid(1000), Sigmoid(0))
	}
}
