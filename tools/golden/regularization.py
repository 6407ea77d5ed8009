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


# ---- L2 and L1 penalties: autograd of (lambda/2) sum w^2 and lambda sum |w| ------------------
# Two weight matrices and a bias (the bias is not penalised); W1 holds exact zeros, where the
# L1 subgradient is sign(0) = 0 (what autograd gives for abs at 0).
def penalty_case(case, lam, fn):
    g = gen(21)
    W1 = torch.randn(5, 4, generator=g)
    W1[0, 0] = 0.0
    W1[3, 2] = 0.0
    b1 = torch.randn(4, generator=g)
    W2 = torch.randn(4, 3, generator=g)
    ps = [t.clone().requires_grad_(True) for t in (W1, b1, W2)]
    penalty = fn(ps[0]) + fn(ps[2])
    penalty.backward()
    save(case, W1=W1, b1=b1, W2=W2, lam=torch.tensor([lam]), penalty=penalty.detach().reshape(1),
         dW1=ps[0].grad, db1=torch.zeros_like(b1), dW2=ps[2].grad)


penalty_case("l2_penalty", 0.3, lambda w: 0.5 * 0.3 * (w * w).sum())
penalty_case("l1_penalty", 0.3, lambda w: 0.3 * w.abs().sum())


# ---- clip_grad_norm_: total 2-norm over all grads, scaled by max_norm / (norm + 1e-6) -------
def clip_case(case, max_norm, scale):
    g = gen(31)
    ps = [torch.nn.Parameter(torch.randn(*s, generator=g)) for s in ((6, 4), (4,), (4, 2))]
    for p in ps:
        p.grad = scale * torch.randn(p.shape, generator=g)
    before = [p.grad.clone() for p in ps]
    norm = torch.nn.utils.clip_grad_norm_(ps, max_norm)
    save(case, g0=before[0], g1=before[1], g2=before[2], max_norm=torch.tensor([max_norm]),
         norm=norm.reshape(1), c0=ps[0].grad, c1=ps[1].grad, c2=ps[2].grad)


clip_case("clip_active", 1.5, 1.0)     # norm about 6: clipped to 1.5
clip_case("clip_inactive", 100.0, 1.0)  # norm below max_norm: unchanged


# ---- StepLR and CosineAnnealingLR: the rate of epochs 0, 1, 2, ... --------------------------
def schedule_case(case, make, epochs, base_lr=0.1):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
    sched = make(opt)
    lrs = []
    for _ in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    save(case, lr=torch.tensor(lrs))


schedule_case("step_lr", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 12)
schedule_case("cosine_lr", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 25)
print("regularization golden files written", file=sys.stderr)
