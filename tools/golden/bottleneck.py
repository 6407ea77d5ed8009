#!/usr/bin/python3
"""Golden files for the bottleneck block of ResNet-50 (tests/dlcore/layers/bottleneck_test.cpp).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/bottleneck.py
Every case: x, dy, y, dx and each parameter with its gradient (d<name>), float64, from a
train-mode pass; then the running statistics after it (<bn>_running_mean, _running_var) and
an eval-mode output y_eval. The block is torchvision's Bottleneck (stride on the 3x3
convolution, convolutions without bias, projection = 1x1 convolution + BN).
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402

torch.set_default_dtype(torch.float64)
g = torch.Generator().manual_seed(5050)


def randn(*shape):
    return torch.randn(*shape, generator=g)


class Bottleneck(nn.Module):
    def __init__(self, c_in, width, stride):
        super().__init__()
        c_out = 4 * width
        self.conv1 = nn.Conv2d(c_in, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, c_out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(c_out)
        self.projection = stride != 1 or c_in != c_out
        if self.projection:
            self.proj = nn.Conv2d(c_in, c_out, 1, stride, bias=False)
            self.proj_bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        a1 = torch.relu(self.bn1(self.conv1(x)))
        a2 = torch.relu(self.bn2(self.conv2(a1)))
        s = self.proj_bn(self.proj(x)) if self.projection else x
        return torch.relu(self.bn3(self.conv3(a2)) + s)


def case(name, c_in, width, stride, shape):
    blk = Bottleneck(c_in, width, stride)
    with torch.no_grad():  # every parameter away from its default, so each one is tested
        for pname, p in blk.named_parameters():
            p.copy_((1 if "bn" in pname and pname.endswith("weight") else 0) + 0.4 * randn(*p.shape))
    params = {}
    for pname, p in blk.named_parameters():
        mod, kind = pname.rsplit(".", 1)
        is_bn = "bn" in mod
        params[mod + ("_gamma" if is_bn and kind == "weight" else "_beta" if is_bn else "_W")] = p
    before = {k: v.detach().clone() for k, v in params.items()}
    blk.train()
    x = randn(*shape).requires_grad_(True)
    y = blk(x)
    dy = randn(*y.shape)
    y.backward(dy)
    out = dict(x=x, dy=dy, y=y, dx=x.grad)
    for k, v in params.items():
        out[k] = before[k]
        out["d" + k] = v.grad
    for mname, m in blk.named_modules():
        if isinstance(m, nn.BatchNorm2d):
            out[mname + "_running_mean"] = m.running_mean
            out[mname + "_running_var"] = m.running_var
    blk.eval()
    with torch.no_grad():
        out["y_eval"] = blk(x)
    save(name, **out)


case("bottleneck_projection", 3, 2, 2, (2, 3, 7, 6))
case("bottleneck_identity", 8, 2, 1, (2, 8, 5, 4))
print("bottleneck golden files written", file=sys.stderr)
