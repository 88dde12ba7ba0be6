"""Reference values of Conv2D and ConvTranspose2D from PyTorch.

Writes torch_conv.json beside this script: for a few geometries (stride,
padding, channels, non-square kernels), seeded inputs, weights and biases,
torch.nn.functional.conv2d and conv_transpose2d outputs in float64, and the
gradients of sum(output * upstream) with respect to input, weight and bias.
autodiff's TestConvAgainstTorch reads it.

Run: /usr/bin/python3 autodiff/testdata/reference/torch_conv.py
(PyTorch 1.13, CPU.)
"""
import json
import os

import torch

torch.manual_seed(20)
torch.set_default_dtype(torch.float64)

shapes = [
    dict(InC=1, H=28, W=28, OutC=2, KH=4, KW=4, Stride=2, Pad=1),
    dict(InC=2, H=7, W=5, OutC=3, KH=3, KW=2, Stride=1, Pad=2),
    dict(InC=3, H=8, W=8, OutC=2, KH=4, KW=4, Stride=2, Pad=1),
    dict(InC=2, H=6, W=9, OutC=1, KH=1, KW=3, Stride=2, Pad=0),
]
cases = []
for s in shapes:
    n = 2
    w = torch.randn(s["OutC"], s["InC"], s["KH"], s["KW"], requires_grad=True)
    for op in ["conv2d", "conv_transpose2d"]:
        w.grad = None
        if op == "conv2d":
            x = torch.randn(n, s["InC"], s["H"], s["W"], requires_grad=True)
            b = torch.randn(s["OutC"], requires_grad=True)
            y = torch.nn.functional.conv2d(x, w, b, stride=s["Stride"], padding=s["Pad"])
        else:
            oh = (s["H"] + 2 * s["Pad"] - s["KH"]) // s["Stride"] + 1
            ow = (s["W"] + 2 * s["Pad"] - s["KW"]) // s["Stride"] + 1
            x = torch.randn(n, s["OutC"], oh, ow, requires_grad=True)
            b = torch.randn(s["InC"], requires_grad=True)
            # conv_transpose2d's weight is (in, out/groups, kH, kW): the
            # transposed op's input channels are the convolution's OutC.
            # output_padding restores the rows and columns the convolution's
            # floor dropped, so that the output is H×W (autodiff's choice).
            outpad = ((s["H"] + 2 * s["Pad"] - s["KH"]) % s["Stride"], (s["W"] + 2 * s["Pad"] - s["KW"]) % s["Stride"])
            y = torch.nn.functional.conv_transpose2d(x, w, b, stride=s["Stride"], padding=s["Pad"], output_padding=outpad)
            assert y.shape[2:] == (s["H"], s["W"]), (y.shape, s)
        g = torch.randn(y.shape)
        (y * g).sum().backward()
        flat = lambda t: t.detach().reshape(t.shape[0], -1).tolist()
        cases.append(dict(op=op, shape=s, x=flat(x), w=w.detach().reshape(w.shape[0], -1).tolist(),
                          b=b.detach().tolist(), y=flat(y), g=flat(g), dx=flat(x.grad),
                          dw=w.grad.reshape(w.shape[0], -1).tolist(), db=b.grad.tolist()))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_conv.json")
with open(out, "w") as f:
    json.dump(dict(torch=torch.__version__, cases=cases), f)
print("wrote", out, len(cases), "cases")
