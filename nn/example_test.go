package nn_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/nn"
)

// An MLP classifier on Fisher's iris: 20% of each species is held out and
// only scored.
func ExampleTrainClassifier() {
	iris := datasets.Iris()
	clf, rep, err := nn.TrainClassifier(context.Background(), iris.X, iris.Labels, nn.ClassifierOptions{
		Hidden: []int{64, 32}, Activation: nn.Tanh, BatchSize: 16, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("classes:", clf.Classes())
	fmt.Printf("%d training rows, %d held out\n", rep.Train.Rows, rep.Validation.Rows)
	fmt.Printf("held-out accuracy %.3f\n", rep.Validation.Accuracy)
	// Output:
	// classes: [setosa versicolor virginica]
	// 120 training rows, 30 held out
	// held-out accuracy 1.000
}

// The seed's small network with the nn package: 2 inputs, 3 sigmoid units,
// one linear output, trained by gradient descent (w ← w − α·∂L/∂w) on the
// mean squared error of XOR.
func ExampleNewMLP() {
	net, err := nn.NewMLP(nn.MLPConfig{Sizes: []int{2, 3, 1}, Hidden: nn.Sigmoid, Seed: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	x := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1})
	y := mat.NewDense(4, 1, []float64{0, 1, 1, 0})
	opt := nn.NewSGD(net.Params(), 0.5)
	t := autodiff.NewTape()
	for step := 0; step <= 700; step++ {
		t.Reset()
		loss := t.MSE(net.Forward(t, t.Const(x)), t.Const(y))
		if step%100 == 0 {
			fmt.Printf("step %4d  loss %.4f\n", step, loss.Scalar())
		}
		t.Backward(loss)
		opt.Step()
	}
	// Output:
	// step    0  loss 1.6295
	// step  100  loss 0.2494
	// step  200  loss 0.2482
	// step  300  loss 0.2441
	// step  400  loss 0.2220
	// step  500  loss 0.0601
	// step  600  loss 0.0002
	// step  700  loss 0.0000
}

// Save a trained classifier and load it back: the model file holds the
// network, the scaler and the class names.
func ExampleLoadClassifier() {
	iris := datasets.Iris()
	clf, _, err := nn.TrainClassifier(context.Background(), iris.X, iris.Labels, nn.ClassifierOptions{Hidden: []int{8}, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "nn-example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "iris-nn.json")
	if err := clf.Save(path, nn.SaveOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := nn.LoadClassifier(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred, _ := loaded.Predict(mat.NewDense(2, 4, []float64{5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5}))
	fmt.Println(loaded.Network().Sizes(), pred)
	// Output:
	// [4 8 3] [setosa virginica]
}
