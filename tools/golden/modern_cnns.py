#!/usr/bin/python3
"""Golden files for the residual block and the depthwise/pointwise convolutions
(tests/dlcore/layers/residual_test.cpp, depthwise_test.cpp).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/modern_cnns.py
Every case: x, dy, y, dx and each parameter with its gradient (d<name>), float64.
Residual cases run in train mode and also save the running statistics after the pass
(<bn>_running_mean, <bn>_running_var), then an eval-mode output y_eval for x.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402

torch.set_default_dtype(torch.float64)
g = torch.Generator().manual_seed(1414)


def randn(*shape):
    return torch.randn(*shape, generator=g)


class Block(nn.Module):
    """y = relu(BN2(conv2(relu(BN1(conv1(x))))) + S(x)), S = identity or BN(1x1 conv)."""

    def __init__(self, c_in, c_out, stride, projection):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.projection = projection
        if projection:
            self.proj = nn.Conv2d(c_in, c_out, 1, stride, 0)
            self.proj_bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        f = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        s = self.proj_bn(self.proj(x)) if self.projection else x
        return torch.relu(f + s)


def block_case(case, c_in, c_out, stride, projection, shape):
    blk = Block(c_in, c_out, stride, projection)
    with torch.no_grad():  # every parameter random, so each one is tested
        for p in blk.parameters():
            p.copy_(0.5 * randn(*p.shape))
        for bn in [m for m in blk.modules() if isinstance(m, nn.BatchNorm2d)]:
            bn.weight.copy_(1 + 0.3 * randn(c_out))
    params = {name.replace(".weight", "_W" if "conv" in name or "proj." in name else "_gamma")
              .replace(".bias", "_b" if "conv" in name or "proj." in name else "_beta"): p
              for name, p in blk.named_parameters()}
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
    for name, m in blk.named_modules():
        if isinstance(m, nn.BatchNorm2d):
            out[name + "_running_mean"] = m.running_mean
            out[name + "_running_var"] = m.running_var
    blk.eval()
    with torch.no_grad():
        out["y_eval"] = blk(x)
    save(case, **out)


def conv_case(case, conv, shape):
    with torch.no_grad():
        conv.bias.copy_(randn(*conv.bias.shape))
        conv.weight.copy_(randn(*conv.weight.shape) * 0.5)
    x = randn(*shape).requires_grad_(True)
    y = conv(x)
    dy = randn(*y.shape)
    y.backward(dy)
    save(case, x=x, dy=dy, y=y, dx=x.grad, W=conv.weight, b=conv.bias, dW=conv.weight.grad, db=conv.bias.grad)


block_case("residual_identity", 3, 3, 1, False, (2, 3, 6, 5))
block_case("residual_projection", 3, 4, 2, True, (2, 3, 7, 6))
conv_case("depthwise_k3_s1_p1", nn.Conv2d(3, 3, 3, 1, 1, groups=3), (2, 3, 6, 5))
conv_case("depthwise_k3_s2_p1", nn.Conv2d(4, 4, 3, 2, 1, groups=4), (2, 4, 7, 6))
conv_case("depthwise_k5_s2_p0", nn.Conv2d(2, 2, 5, 2, 0, groups=2), (3, 2, 9, 8))
conv_case("pointwise", nn.Conv2d(4, 6, 1), (2, 4, 5, 3))
print("modern_cnns golden files written", file=sys.stderr)
