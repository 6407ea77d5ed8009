#!/usr/bin/python3
"""Golden files for the convolution pieces (chapter 12): Conv2D with several kernels, strides,
paddings and channel counts (non-square inputs included), MaxPool2D and AvgPool2D.

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/conv.py
Writes tests/golden/<case>/*.npy: x, dy (a random upstream gradient), y, dx, and for
convolutions W (C_out, C_in, kh, kw) = PyTorch's weight layout, b, dW, db. float64 unless the
case name ends in _f32.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def conv_case(case, n, c_in, c_out, h, w, k, stride, pad, seed, dtype=torch.float64):
    g = gen(seed)
    conv = torch.nn.Conv2d(c_in, c_out, k, stride=stride, padding=pad).to(dtype)
    with torch.no_grad():
        conv.weight.copy_(0.3 * torch.randn(conv.weight.shape, generator=g, dtype=dtype))
        conv.bias.copy_(torch.randn(conv.bias.shape, generator=g, dtype=dtype))
    x = torch.randn(n, c_in, h, w, generator=g, dtype=dtype).requires_grad_(True)
    y = conv(x)
    dy = torch.randn(y.shape, generator=g, dtype=dtype)
    y.backward(dy)
    save(case, x=x, dy=dy, y=y, dx=x.grad, W=conv.weight, b=conv.bias, dW=conv.weight.grad,
         db=conv.bias.grad)


def pool_case(case, module, shape, seed):
    g = gen(seed)
    x = torch.randn(*shape, generator=g, dtype=torch.float64).requires_grad_(True)
    y = module(x)
    dy = torch.randn(y.shape, generator=g, dtype=torch.float64)
    y.backward(dy)
    save(case, x=x, dy=dy, y=y, dx=x.grad)


#         case               N  C_in C_out H  W  k  s  p
conv_case("conv_basic",      2, 3,   4,    6, 6, 3, 1, 0, 1)
conv_case("conv_same",       2, 2,   3,    7, 5, 3, 1, 1, 2)   # non-square, "same" padding
conv_case("conv_stride2",    3, 2,   5,    9, 8, 3, 2, 1, 3)   # stride 2 with padding
conv_case("conv_k5_stride2", 2, 1,   6,    12, 11, 5, 2, 2, 4)
conv_case("conv_1x1",        2, 4,   3,    5, 4, 1, 1, 0, 5)
conv_case("conv_lenet_f32",  4, 1,   6,    28, 28, 5, 1, 0, 6, torch.float32)

pool_case("maxpool_2", torch.nn.MaxPool2d(2), (2, 3, 6, 8), 11)
pool_case("maxpool_3s2p1", torch.nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 9), 12)
pool_case("maxpool_odd", torch.nn.MaxPool2d(2), (1, 2, 7, 5), 13)  # floor: last row/col unused
pool_case("avgpool_2", torch.nn.AvgPool2d(2), (2, 3, 6, 8), 14)
pool_case("avgpool_3s2p1", torch.nn.AvgPool2d(3, stride=2, padding=1), (2, 2, 7, 9), 15)
