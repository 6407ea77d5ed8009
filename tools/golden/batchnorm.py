#!/usr/bin/python3
"""Golden files for BatchNorm1d / BatchNorm2d (tests/dlcore/layers/batchnorm_test.cpp).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/batchnorm.py
Per case, in train mode: x, dy, y, dx, gamma, beta, dgamma, dbeta and the running statistics
after that first batch (running_mean1, running_var1); then two more training batches x2, x3
(forward only) and the running statistics after all three (running_mean3, running_var3);
then eval mode on x_eval with upstream gradient dy_eval: y_eval, dx_eval, dgamma_eval,
dbeta_eval (gradients from that backward alone).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402

g = torch.Generator().manual_seed(1010)


def randn(*shape, dtype):
    return torch.randn(*shape, generator=g, dtype=torch.float64).to(dtype)


def bn_case(case, module, shape, dtype):
    C = shape[1]
    bn = module(C).to(dtype)  # eps 1e-5, momentum 0.1
    with torch.no_grad():
        bn.weight.copy_(1 + 0.5 * randn(C, dtype=dtype))
        bn.bias.copy_(randn(C, dtype=dtype))
    gamma, beta = bn.weight.detach().clone(), bn.bias.detach().clone()
    # channels with different means and spreads, so the statistics matter
    cshape = [1, C] + [1] * (len(shape) - 2)
    offset = 2 * randn(*cshape, dtype=dtype)
    spread = 0.5 + randn(*cshape, dtype=dtype).abs()

    def batch():
        return offset + spread * randn(*shape, dtype=dtype)

    bn.train()
    x = batch().requires_grad_(True)
    y = bn(x)
    dy = randn(*shape, dtype=dtype)
    y.backward(dy)
    out = dict(x=x, dy=dy, y=y, dx=x.grad, gamma=gamma, beta=beta, dgamma=bn.weight.grad.clone(),
               dbeta=bn.bias.grad.clone(), running_mean1=bn.running_mean.clone(),
               running_var1=bn.running_var.clone())
    x2, x3 = batch(), batch()
    with torch.no_grad():
        bn(x2)
        bn(x3)
    out.update(x2=x2, x3=x3, running_mean3=bn.running_mean.clone(), running_var3=bn.running_var.clone())

    bn.eval()
    bn.weight.grad = None
    bn.bias.grad = None
    x_eval = batch().requires_grad_(True)
    y_eval = bn(x_eval)
    dy_eval = randn(*shape, dtype=dtype)
    y_eval.backward(dy_eval)
    out.update(x_eval=x_eval, dy_eval=dy_eval, y_eval=y_eval, dx_eval=x_eval.grad,
               dgamma_eval=bn.weight.grad, dbeta_eval=bn.bias.grad)
    save(case, **out)


bn_case("batchnorm1d_f64", torch.nn.BatchNorm1d, (8, 5), torch.float64)
bn_case("batchnorm2d_f64", torch.nn.BatchNorm2d, (3, 4, 5, 6), torch.float64)
bn_case("batchnorm2d_f32", torch.nn.BatchNorm2d, (4, 3, 7, 7), torch.float32)
print("batchnorm golden files written", file=sys.stderr)
