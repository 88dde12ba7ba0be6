package mixture

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/memlimit"
)

// Issue 22, item 7: a fit on 20,000 columns with full covariances is
// refused by the memory guard, with the estimate and the options to
// lower, before EM allocates its D×D matrices; diagonal covariances on
// the same data fit the estimate.
func TestFitMemoryGuard(t *testing.T) {
	defer memlimit.SetLimitForTest(8 << 30)()
	x := mat.NewDense(3, 20000, nil)
	for i := range 3 {
		for j := range 20000 {
			x.Set(i, j, float64((i*7+j*3)%11))
		}
	}
	_, _, err := Fit(context.Background(), x, Options{K: 2, Covariance: Full})
	var me *memlimit.Error
	if !errors.As(err, &me) || !errors.Is(err, memlimit.ErrTooLarge) {
		t.Fatalf("20,000 columns, full: got %v, want a *memlimit.Error", err)
	}
	if me.Bytes < 50e9 || me.Bytes > 100e9 {
		t.Errorf("estimate %.3g bytes, want about 67 GB (K = 2, D = 20,000, full)", me.Bytes)
	}
	for _, want := range []string{"20000 dimensions", "Options.K", "Options.Covariance"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v: does not say %q", err, want)
		}
	}
	if err := checkMemory(3, 20000, 2, familyOf(Diag), 2); err != nil {
		t.Errorf("20,000 columns, diag: %v", err)
	}
}

// Issue 22, item 8: finite data whose sums of squares overflow float64
// are refused as overflowing, with the advice to rescale, not blamed on
// a component "of points that coincide"; data of 1e150 still fit.
func TestFitOverflowingData(t *testing.T) {
	rows := func(scale float64) *mat.Dense {
		x := mat.NewDense(50, 2, nil)
		for i := range 50 {
			x.Set(i, 0, scale*(1+float64(i%7)/10))
			x.Set(i, 1, scale*(1-float64(i%5)/10))
		}
		return x
	}
	_, _, err := Fit(context.Background(), rows(1e200), Options{K: 2})
	if !errors.Is(err, ErrBadData) {
		t.Fatalf("1e200: got %v, want ErrBadData", err)
	}
	for _, want := range []string{"overflow", "rescale", "1e+200"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("1e200: %v does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "coincide") {
		t.Errorf("1e200: %v blames coinciding points", err)
	}
	m, _, err := Fit(context.Background(), rows(1e150), Options{K: 1})
	if err != nil {
		t.Fatalf("1e150: %v", err)
	}
	if mu := m.Means(nil).At(0, 0); mu < 1e150 || mu > 2e150 {
		t.Errorf("1e150: mean %g", mu)
	}
}
