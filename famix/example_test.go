package famix_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/famix"
)

// A latent class analysis of three yes/no/maybe questions and a count,
// K chosen by BIC.
func ExampleSelect() {
	data := "q1,q2,q3,n\n" + strings.Repeat("yes,yes,no,0\nyes,maybe,no,1\nyes,yes,no,1\n", 10) +
		strings.Repeat("no,no,yes,4\nno,no,maybe,6\nmaybe,no,yes,5\n", 10)
	tab, err := famix.ReadTable(strings.NewReader(data), famix.TableOptions{
		Family: famix.Categorical, Columns: map[string]famix.Family{"n": famix.Poisson}})
	if err != nil {
		fmt.Println(err)
		return
	}
	o := tab.Options(0)
	o.Smoothing = 1 // Laplace: no probability of exactly 0
	o.EM = em.Options{NInit: 2, Seed: 1}
	m, rep, err := famix.Select(context.Background(), tab.X, nil, []int{1, 2, 3}, famix.BIC, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("K =", rep.K)
	labels, _ := m.Predict(tab.X)
	fmt.Println("first and last rows apart:", labels[0] != labels[59])
	m.WriteText(os.Stdout)
	// Output:
	// K = 2
	// first and last rows apart: true
	//   component        1       2
	//      weight      0.5     0.5
	//    q1=maybe   0.3333  0.0303
	//       q1=no   0.6364  0.0303
	//      q1=yes  0.03031  0.9394
	//    q2=maybe  0.03031  0.3333
	//       q2=no   0.9394  0.0303
	//      q2=yes   0.0303  0.6364
	//    q3=maybe   0.3333  0.0303
	//       q3=no  0.03031  0.9394
	//      q3=yes   0.6364  0.0303
	//         n λ        5  0.6667
}
