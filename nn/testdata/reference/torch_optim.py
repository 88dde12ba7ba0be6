#!/usr/bin/python3
"""Reference values for nn.TestOptimizersMatchPyTorch (PyTorch 1.13, float64):

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 nn/testdata/reference/torch_optim.py
"""
import torch
torch.set_default_dtype(torch.float64)
def run(make):
    p = torch.tensor([[0.5, -1.25], [2.0, 0.125]], requires_grad=True)
    c = torch.tensor([[1.0, 2.0], [-0.5, 3.0]])
    t = torch.tensor([[0.3, 0.1], [-0.2, 0.9]])
    opt = make([p])
    for _ in range(5):
        opt.zero_grad()
        loss = ((torch.sin(p) * c - t) ** 2).sum()
        loss.backward()
        opt.step()
    return p.detach().flatten().tolist()
print("adam", [repr(v) for v in run(lambda ps: torch.optim.Adam(ps, lr=0.1))])
print("adam-defaults", [repr(v) for v in run(lambda ps: torch.optim.Adam(ps))])
print("momentum", [repr(v) for v in run(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9))])
print("sgd", [repr(v) for v in run(lambda ps: torch.optim.SGD(ps, lr=0.05))])
print(torch.__version__)
