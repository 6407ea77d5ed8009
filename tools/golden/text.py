#!/usr/bin/python3
"""Golden files for the text layers (chapter 19): Conv1D over time against torch.nn.Conv1d
with padding='same', whole batches and ragged ones (each sequence run alone at its own length).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/text.py
Writes tests/golden/<case>/*.npy, time-major as dlcore's sequence batches: x (T, N, D),
dy (T, N, C) (random everywhere, also on padded steps, which must take no gradient), y, dx,
W (C, D, k) = PyTorch's weight layout, b, dW, db, and lengths (N) for the ragged cases.
float64 unless the case name ends in _f32.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402


def conv1d_case(case, T, N, D, C, k, lengths=None, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    conv = torch.nn.Conv1d(D, C, k, padding="same").to(dtype)
    with torch.no_grad():
        conv.weight.copy_(0.4 * torch.randn(conv.weight.shape, generator=g, dtype=dtype))
        conv.bias.copy_(torch.randn(conv.bias.shape, generator=g, dtype=dtype))
    x = torch.randn(T, N, D, generator=g, dtype=dtype)
    dy = torch.randn(T, N, C, generator=g, dtype=dtype)
    lengths = lengths or [T] * N
    y = torch.zeros(T, N, C, dtype=dtype)
    dx = torch.zeros(T, N, D, dtype=dtype)
    for n, L in enumerate(lengths):  # each sequence alone: (1, D, L) in PyTorch's layout
        xn = x[:L, n].t().unsqueeze(0).clone().requires_grad_(True)
        yn = conv(xn)                                  # (1, C, L)
        yn.backward(dy[:L, n].t().unsqueeze(0))
        y[:L, n] = yn[0].t().detach()
        dx[:L, n] = xn.grad[0].t()
    save(case, x=x, dy=dy, y=y, dx=dx, W=conv.weight, b=conv.bias, dW=conv.weight.grad, db=conv.bias.grad,
         lengths=torch.tensor(lengths, dtype=torch.float64))


conv1d_case("conv1d_k3", 7, 3, 4, 5, 3, seed=1)
conv1d_case("conv1d_k4", 6, 2, 3, 4, 4, seed=2)              # even width: one more zero on the right
conv1d_case("conv1d_ragged", 8, 4, 3, 5, 5, [8, 3, 1, 6], seed=3)
conv1d_case("conv1d_f32", 20, 16, 32, 64, 3, [20 - i for i in range(16)], seed=4, dtype=torch.float32)
