package plots

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// VAEClassSamples returns a conditional VAE's samples, one row of images
// per class: samples holds perClass images of classes[0], then perClass
// of classes[1], and so on (vae.Model.SampleClasses's layout), each
// h × w pixels; each row is labelled with its class. It returns an error
// when samples does not hold len(classes)·perClass rows, and as
// CompareImages.
func VAEClassSamples(samples mat.Matrix, classes []string, perClass, h, w int, title string) (*ImageChart, error) {
	n, d := samples.Dims()
	if len(classes) == 0 || perClass < 1 || n != len(classes)*perClass {
		return nil, fmt.Errorf("plots: VAEClassSamples: %d samples for %d classes of %d: %w", n, len(classes), perClass, ErrNoData)
	}
	all := mat.DenseCopyOf(samples)
	sets := make([]ImageSet, len(classes))
	for c, name := range classes {
		sets[c] = ImageSet{Name: name, X: all.Slice(c*perClass, (c+1)*perClass, 0, d)}
	}
	return legible(CompareImages(sets, h, w, ImageOptions{Title: title, Cols: perClass}))
}
