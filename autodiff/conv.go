package autodiff

import "fmt"

// ConvShape is the geometry of a 2-D convolution on images stored one
// per row of a matrix, channel by channel, each channel row by row (the
// C×H×W order of PyTorch's NCHW tensors): InC channels of H×W pixels in,
// OutC channels out, KH×KW kernels moved by Stride with Pad zeros around
// the image. The output has OutH()×OutW() pixels per channel:
//
//	OutH = ⌊(H + 2·Pad − KH) / Stride⌋ + 1,   OutW likewise.
//
// The same shape describes the transposed convolution that maps the
// convolution's outputs back onto its inputs (ConvTranspose2D).
type ConvShape struct {
	InC, H, W    int
	OutC, KH, KW int
	Stride, Pad  int
}

// OutH returns the output height, ⌊(H + 2·Pad − KH) / Stride⌋ + 1.
func (s ConvShape) OutH() int { return (s.H+2*s.Pad-s.KH)/s.Stride + 1 }

// OutW returns the output width, ⌊(W + 2·Pad − KW) / Stride⌋ + 1.
func (s ConvShape) OutW() int { return (s.W+2*s.Pad-s.KW)/s.Stride + 1 }

// InSize is InC·H·W, the values of one input image; OutSize is
// OutC·OutH·OutW; KernelSize is InC·KH·KW, the values one output pixel
// of one channel reads (the columns of the weight matrix).
func (s ConvShape) InSize() int     { return s.InC * s.H * s.W }
func (s ConvShape) OutSize() int    { return s.OutC * s.OutH() * s.OutW() }
func (s ConvShape) KernelSize() int { return s.InC * s.KH * s.KW }

// Check returns an error unless every size is positive, the padding is
// not negative and the kernel fits the padded image.
func (s ConvShape) Check() error {
	switch {
	case s.InC < 1 || s.H < 1 || s.W < 1 || s.OutC < 1 || s.KH < 1 || s.KW < 1 || s.Stride < 1:
		return fmt.Errorf("autodiff: convolution %+v: channels, sizes, kernel and stride must be at least 1", s)
	case s.Pad < 0:
		return fmt.Errorf("autodiff: convolution %+v: negative padding", s)
	case s.H+2*s.Pad < s.KH || s.W+2*s.Pad < s.KW:
		return fmt.Errorf("autodiff: convolution %+v: the %d×%d kernel is larger than the padded %d×%d image", s, s.KH, s.KW, s.H+2*s.Pad, s.W+2*s.Pad)
	}
	return nil
}

func (s ConvShape) ints() []int { return []int{s.InC, s.H, s.W, s.OutC, s.KH, s.KW, s.Stride, s.Pad} }

func shapeOf(v []int) ConvShape {
	return ConvShape{InC: v[0], H: v[1], W: v[2], OutC: v[3], KH: v[4], KW: v[5], Stride: v[6], Pad: v[7]}
}

// im2col writes the patches of one image (InSize values) into cols, a
// KernelSize × (OutH·OutW) matrix: entry (c·KH·KW + ky·KW + kx, oy·OutW +
// ox) is pixel (c, oy·Stride − Pad + ky, ox·Stride − Pad + kx), 0 outside
// the image.
func im2col(s ConvShape, img, cols []float64) {
	oh, ow := s.OutH(), s.OutW()
	p := oh * ow
	for c := 0; c < s.InC; c++ {
		for ky := 0; ky < s.KH; ky++ {
			for kx := 0; kx < s.KW; kx++ {
				row := cols[((c*s.KH+ky)*s.KW+kx)*p:]
				for oy := 0; oy < oh; oy++ {
					iy := oy*s.Stride - s.Pad + ky
					dst := row[oy*ow : (oy+1)*ow]
					if iy < 0 || iy >= s.H {
						clear(dst)
						continue
					}
					src := img[(c*s.H+iy)*s.W:]
					for ox := range dst {
						ix := ox*s.Stride - s.Pad + kx
						if ix < 0 || ix >= s.W {
							dst[ox] = 0
						} else {
							dst[ox] = src[ix]
						}
					}
				}
			}
		}
	}
}

// col2im adds each entry of cols back onto the pixel im2col read it from
// (the adjoint of im2col): img += col2im(cols).
func col2im(s ConvShape, cols, img []float64) {
	oh, ow := s.OutH(), s.OutW()
	p := oh * ow
	for c := 0; c < s.InC; c++ {
		for ky := 0; ky < s.KH; ky++ {
			for kx := 0; kx < s.KW; kx++ {
				row := cols[((c*s.KH+ky)*s.KW+kx)*p:]
				for oy := 0; oy < oh; oy++ {
					iy := oy*s.Stride - s.Pad + ky
					if iy < 0 || iy >= s.H {
						continue
					}
					dst := img[(c*s.H+iy)*s.W:]
					for ox, v := range row[oy*ow : (oy+1)*ow] {
						if ix := ox*s.Stride - s.Pad + kx; ix >= 0 && ix < s.W {
							dst[ix] += v
						}
					}
				}
			}
		}
	}
}

// Conv2D returns the 2-D cross-correlation of each image of x (n ×
// InSize, one image a row) with the filters w (OutC × KernelSize, filter
// o's weights in (c, ky, kx) order, as PyTorch's Conv2d weight flattened),
// plus the bias b (1×OutC, one per output channel; nil for none):
//
//	y[o, oy, ox] = b[o] + Σ_{c, ky, kx} w[o, c, ky, kx] · x[c, oy·S − P + ky, ox·S − P + kx],
//
// zero outside the image; n × OutSize. Each image is one im2col and one
// GEMM (fastblas). NaN and ±Inf propagate as in the sums; a padded zero
// meets a weight as any zero does. It panics when the shape is invalid
// or does not fit x, w or b.
func (t *Tape) Conv2D(x, w, b *Node, s ConvShape) *Node {
	t.use("Conv2D", x, w)
	if b != nil {
		t.use("Conv2D", b)
	}
	checkConv("Conv2D", x, w, b, s, s.InSize(), s.OutC, s.KernelSize(), s.OutC)
	n := t.node(x.rows, s.OutSize(), conv2DBack, x, w, b)
	n.labels = append(n.labels[:0], s.ints()...)
	K, P := s.KernelSize(), s.OutH()*s.OutW()
	n.aux = grow(n.aux, K*P)
	for i := 0; i < x.rows; i++ {
		im2col(s, x.Value[i*x.cols:(i+1)*x.cols], n.aux)
		out := n.Value[i*n.cols : (i+1)*n.cols]
		gemm(false, false, 1, K, w.Value, P, n.aux, 0, out, s.OutC, P, K)
		addChannelBias(out, b, P)
	}
	return n
}

func checkConv(op string, x, w, b *Node, s ConvShape, xcols, wrows, wcols, bcols int) {
	if err := s.Check(); err != nil {
		panic(err.Error())
	}
	switch {
	case x.cols != xcols:
		panic(fmt.Sprintf("autodiff: %s: x has %d columns, the shape takes %d", op, x.cols, xcols))
	case w.rows != wrows || w.cols != wcols:
		panic(fmt.Sprintf("autodiff: %s: w is %d×%d, the shape takes %d×%d", op, w.rows, w.cols, wrows, wcols))
	case b != nil && (b.rows != 1 || b.cols != bcols):
		panic(fmt.Sprintf("autodiff: %s: b is %d×%d, the shape takes 1×%d", op, b.rows, b.cols, bcols))
	}
}

// addChannelBias adds b[c] to the P pixels of channel c of out.
func addChannelBias(out []float64, b *Node, P int) {
	if b == nil {
		return
	}
	for c, v := range b.Value {
		for p := range out[c*P : (c+1)*P] {
			out[c*P+p] += v
		}
	}
}

// channelBiasGrad adds the sum of each channel's P gradients to db.
func channelBiasGrad(g []float64, b *Node, P int) {
	if b == nil || !b.needsGrad {
		return
	}
	for c := range b.Grad {
		s := 0.0
		for _, v := range g[c*P : (c+1)*P] {
			s += v
		}
		b.Grad[c] += s
	}
}

// With cols_i = im2col(x_i) and Y_i = W·cols_i + b (OutC × P), G_i the
// upstream gradient of image i:
//
//	∂W += Σ_i G_i · cols_iᵀ,   ∂x_i += col2im(Wᵀ · G_i),   ∂b_o += Σ_{i,p} G_i[o, p].
func conv2DBack(n *Node) {
	x, w, b := n.a, n.b, n.c
	s := shapeOf(n.labels)
	K, P := s.KernelSize(), s.OutH()*s.OutW()
	dcols := make([]float64, K*P)
	for i := 0; i < x.rows; i++ {
		g := n.Grad[i*n.cols : (i+1)*n.cols]
		if w.needsGrad {
			im2col(s, x.Value[i*x.cols:(i+1)*x.cols], n.aux)
			gemmAcc(false, true, P, g, P, n.aux, w.Grad, s.OutC, K, P)
		}
		if x.needsGrad {
			gemm(true, false, 1, K, w.Value, P, g, 0, dcols, K, P, s.OutC)
			col2im(s, dcols, x.Grad[i*x.cols:(i+1)*x.cols])
		}
		channelBiasGrad(g, b, P)
	}
}

// ConvTranspose2D is the transposed convolution of the shape s: it maps
// images of the convolution's output geometry (x: n × OutSize, OutC
// channels of OutH×OutW) onto its input geometry (n × InSize, InC
// channels of H×W), the adjoint of Conv2D with the same filters w
// (OutC × KernelSize; PyTorch's ConvTranspose2d weight of shape
// (OutC, InC, KH, KW) flattened), plus the bias b (1×InC; nil for none):
//
//	y_i = col2im(wᵀ · x_i) + b,
//
// so that ⟨Conv2D(u, w), v⟩ = ⟨u, ConvTranspose2D(v, w)⟩ without biases.
// With s = {H: 14, KH: 4, Stride: 2, Pad: 1} it upsamples 7×7 to 14×14,
// as PyTorch's ConvTranspose2d(kernel 4, stride 2, padding 1) does. It
// panics when the shape is invalid or does not fit x, w or b.
func (t *Tape) ConvTranspose2D(x, w, b *Node, s ConvShape) *Node {
	t.use("ConvTranspose2D", x, w)
	if b != nil {
		t.use("ConvTranspose2D", b)
	}
	checkConv("ConvTranspose2D", x, w, b, s, s.OutSize(), s.OutC, s.KernelSize(), s.InC)
	n := t.node(x.rows, s.InSize(), convTransposeBack, x, w, b)
	n.labels = append(n.labels[:0], s.ints()...)
	K, P := s.KernelSize(), s.OutH()*s.OutW()
	n.aux = grow(n.aux, K*P)
	HW := s.H * s.W
	for i := 0; i < x.rows; i++ {
		gemm(true, false, 1, K, w.Value, P, x.Value[i*x.cols:(i+1)*x.cols], 0, n.aux, K, P, s.OutC)
		out := n.Value[i*n.cols : (i+1)*n.cols]
		clear(out)
		col2im(s, n.aux, out)
		addChannelBias(out, b, HW)
	}
	return n
}

// With Y_i = col2im(Wᵀ·X_i) + b and G_i the upstream gradient (InC × HW),
// im2col being col2im's adjoint:
//
//	∂X_i += W · im2col(G_i),   ∂W += X_i · im2col(G_i)ᵀ,   ∂b_c += Σ_{i,p} G_i[c, p].
func convTransposeBack(n *Node) {
	x, w, b := n.a, n.b, n.c
	s := shapeOf(n.labels)
	K, P := s.KernelSize(), s.OutH()*s.OutW()
	for i := 0; i < x.rows; i++ {
		g := n.Grad[i*n.cols : (i+1)*n.cols]
		if x.needsGrad || w.needsGrad {
			im2col(s, g, n.aux)
		}
		if x.needsGrad {
			gemmAcc(false, false, K, w.Value, P, n.aux, x.Grad[i*x.cols:(i+1)*x.cols], s.OutC, P, K)
		}
		if w.needsGrad {
			gemmAcc(false, true, P, x.Value[i*x.cols:(i+1)*x.cols], P, n.aux, w.Grad, s.OutC, K, P)
		}
		channelBiasGrad(g, b, s.H*s.W)
	}
}
