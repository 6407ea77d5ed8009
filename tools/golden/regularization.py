#!/usr/bin/python3
"""Golden files for the regularization pieces (chapter 8 and 9): dropout with PyTorch's own
mask, L1/L2 penalty gradients by autograd, clip_grad_norm_, StepLR and CosineAnnealingLR.

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/regularization.py
Writes tests/golden/<case>/*.npy (float64 unless a case says otherwise).
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402

torch.set_default_dtype(torch.float64)


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


# ---- dropout: PyTorch draws the mask; dlcore replays it with forward_with_mask ---------------
def dropout_case(case, shape, p, seed):
    g = gen(seed)
    x = torch.randn(*shape, generator=g) + 3.0  # away from 0, so y == 0 means "dropped"
    dy = torch.randn(*shape, generator=g)
    torch.manual_seed(seed)  # F.dropout draws from the global generator
    xr = x.clone().requires_grad_(True)
    y = torch.nn.functional.dropout(xr, p=p, training=True)
    y.backward(dy)
    keep = (y != 0).double()
    save(case, x=x, dy=dy, keep=keep, y=y, dx=xr.grad, p=torch.tensor([p]))


dropout_case("dropout_2d", (6, 8), 0.3, 11)
dropout_case("dropout_4d", (2, 3, 4, 5), 0.5, 12)
print("regularization golden files written", file=sys.stderr)
