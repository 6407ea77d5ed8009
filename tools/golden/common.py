"""Helpers shared by tools/make_golden.py and the per-topic scripts in tools/golden/.

A topic script is standalone: run it alone with /usr/bin/python3 tools/golden/<topic>.py, or
all of them through tools/make_golden.py. It imports these helpers with
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from golden.common import save, layer_case
and seeds its own torch.Generator so its files never depend on another script.
"""
import os

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden")


def save(case, **tensors):
    d = os.path.join(ROOT, case)
    os.makedirs(d, exist_ok=True)
    for name, t in tensors.items():
        a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        np.save(os.path.join(d, name + ".npy"), np.ascontiguousarray(a))


def layer_case(case, module, x, params=None):
    """Forward module(x), backward a random upstream gradient dy; save x, dy, y, dx, params and grads."""
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    out = dict(x=x, dy=dy, y=y, dx=x.grad)
    for name, (p, transform) in (params or {}).items():
        out[name] = transform(p.detach())
        out["d" + name] = transform(p.grad)
    save(case, **out)
