package plots_test

import (
	"context"
	"fmt"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/plots"
)

// A classifier's training and held-out log-loss per epoch: an MLP 64-32
// with tanh units on Fisher's iris, 20% of each species held out.
func ExampleNNLoss() {
	iris := datasets.Iris()
	_, rep, err := nn.TrainClassifier(context.Background(), iris.X, iris.Labels, nn.ClassifierOptions{
		Hidden: []int{64, 32}, Activation: nn.Tanh, BatchSize: 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.NNLoss(rep, "MLP 4-64-32-3 (tanh) on iris")
	if err != nil {
		fmt.Println(err)
		return
	}
	save("nn_loss.png", p)
	fmt.Printf("%d epochs (%s); held-out accuracy %.3f\n", len(rep.Epochs), rep.Status, rep.Validation.Accuracy)
	// Output:
	// 93 epochs (converged); held-out accuracy 1.000
}
