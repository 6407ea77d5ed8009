#!/usr/bin/python3
"""Golden files for the PyTorch-parity tests.

Run with Debian's interpreter (python3-torch):  /usr/bin/python3 tools/make_golden.py
Writes tests/golden/<case>/<tensor>.npy. The C++ tests read them; PyTorch is not needed to
run the tests. Conventions: dlcore's Linear stores W as (D_in, D_out), PyTorch's weight is
(D_out, D_in), so W = weight.T here. Everything is float64 unless a case says otherwise.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
torch.manual_seed(1234)
np.random.seed(1234)
torch.set_default_dtype(torch.float64)


from golden.common import ROOT, layer_case, save  # noqa: E402  (shared with tools/golden/*.py)


# ---- layers -------------------------------------------------------------------------------
def linear_case(case, dtype):
    lin = torch.nn.Linear(5, 3).to(dtype)
    x = torch.randn(4, 5, dtype=dtype)
    layer_case(case, lin, x, {"W": (lin.weight, lambda t: t.T), "b": (lin.bias, lambda t: t)})


linear_case("linear_f64", torch.float64)
linear_case("linear_f32", torch.float32)
layer_case("relu", torch.nn.ReLU(), torch.randn(4, 6))
layer_case("relu_4d", torch.nn.ReLU(), torch.randn(2, 3, 4, 5))
layer_case("leaky_relu", torch.nn.LeakyReLU(0.1), torch.randn(4, 6))
layer_case("sigmoid", torch.nn.Sigmoid(), 4 * torch.randn(4, 6))
layer_case("tanh", torch.nn.Tanh(), 2 * torch.randn(4, 6))
layer_case("softmax", torch.nn.Softmax(dim=1), 3 * torch.randn(4, 6))


# ---- losses -------------------------------------------------------------------------------
def loss_case(case, fn, pred, target):
    pred = pred.clone().requires_grad_(True)
    loss = fn(pred, target)
    loss.backward()
    save(case, pred=pred, target=target, loss=loss.reshape(1), dpred=pred.grad)


loss_case("mse", torch.nn.MSELoss(), torch.randn(5, 3), torch.randn(5, 3))
loss_case("huber", torch.nn.HuberLoss(delta=1.5), 3 * torch.randn(6, 4), torch.randn(6, 4))
loss_case("bce", torch.nn.BCELoss(), torch.rand(5, 3) * 0.9 + 0.05, torch.randint(0, 2, (5, 3)).double())
loss_case("sigmoid_bce", torch.nn.BCEWithLogitsLoss(), 3 * torch.randn(5, 3), torch.rand(5, 3))
logits = 2 * torch.randn(6, 4)
labels = torch.tensor([0, 3, 1, 1, 2, 3])
loss_case("softmax_ce", torch.nn.CrossEntropyLoss(), logits, labels)
save("softmax_ce", target=labels.int())
p_target = torch.softmax(torch.randn(5, 4), dim=1)
loss_case("kl_div", torch.nn.KLDivLoss(reduction="batchmean"), torch.log_softmax(torch.randn(5, 4), dim=1), p_target)


# ---- optimizers: three steps from fixed gradients -----------------------------------------
def optim_case(case, make):
    w = torch.randn(3, 4).requires_grad_(True)
    b = torch.randn(4).requires_grad_(True)
    grads = [(torch.randn(3, 4), torch.randn(4)) for _ in range(3)]
    out = dict(w0=w.detach().clone(), b0=b.detach().clone())
    opt = make([w, b])
    for t, (gw, gb) in enumerate(grads, 1):
        w.grad, b.grad = gw.clone(), gb.clone()
        opt.step()
        out[f"gw{t}"], out[f"gb{t}"] = gw, gb
        out[f"w{t}"], out[f"b{t}"] = w.detach().clone(), b.detach().clone()
    save(case, **out)


optim_case("sgd", lambda p: torch.optim.SGD(p, lr=0.1))
optim_case("sgd_wd", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01))
optim_case("momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))
optim_case("nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True))
optim_case("adagrad", lambda p: torch.optim.Adagrad(p, lr=0.1))
optim_case("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9))
optim_case("adam", lambda p: torch.optim.Adam(p, lr=0.01))
optim_case("adam_l2", lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1))
optim_case("adamw", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1))

print("golden files written to", os.path.normpath(ROOT), file=sys.stderr)


# ==== ch03_losses: L1 loss and cross-entropy on probabilities ==============================
# Its own generator, so these files do not depend on the blocks above or below.
def ch03_golden():
    g = torch.Generator().manual_seed(303)
    pred = 3 * torch.randn(6, 4, generator=g)
    loss_case("l1", torch.nn.L1Loss(), pred, torch.randn(6, 4, generator=g))
    # -(1/N) sum t log p on probabilities: autograd gives -t / (N p)
    p = torch.softmax(2 * torch.randn(5, 4, generator=g), dim=1)
    t = torch.softmax(torch.randn(5, 4, generator=g), dim=1)
    loss_case("categorical_ce", lambda q, tt: -(tt * torch.log(q)).sum(dim=1).mean(), p, t)
    labels = torch.tensor([2, 0, 3, 3, 1])
    t1 = torch.nn.functional.one_hot(labels, 4).double()
    loss_case("categorical_ce_onehot", lambda q, tt: -(tt * torch.log(q)).sum(dim=1).mean(), p, t1)
    save("categorical_ce_onehot", labels=labels.int())


ch03_golden()
print("ch03 golden files written", file=sys.stderr)


# ==== ch05_gradient_descent / ch06_optimizers: optimizer paths on Rosenbrock ================
# dl::descend drives dlcore's optimizers on a 2-D test function; here torch.optim does the
# same with autograd's gradient: 60 steps from (-1.2, 1), the path saved as (61, 2).
# Deterministic (no random draws), so independent of the blocks above and below.
def ch05_ch06_golden():
    def rosenbrock(p):
        return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

    def descend_case(case, make, steps=60):
        p = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
        opt = make([p])
        path = [p.detach().clone()]
        for _ in range(steps):
            opt.zero_grad()
            rosenbrock(p).backward()
            opt.step()
            path.append(p.detach().clone())
        save(case, path=torch.stack(path))

    descend_case("descend_sgd", lambda p: torch.optim.SGD(p, lr=1e-3))
    descend_case("descend_momentum", lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9))
    descend_case("descend_nesterov", lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True))
    descend_case("descend_adagrad", lambda p: torch.optim.Adagrad(p, lr=0.5))
    descend_case("descend_rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01))
    descend_case("descend_adam", lambda p: torch.optim.Adam(p, lr=0.05))
    descend_case("descend_adamw", lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1))


ch05_ch06_golden()
print("ch05/ch06 golden files written", file=sys.stderr)


# ==== later parts of the book: one standalone script per topic in tools/golden/ ===========
# Each seeds its own generator, so adding one never changes the files of another.
import runpy  # noqa: E402
import glob  # noqa: E402

for script in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "*.py"))):
    if os.path.basename(script) != "common.py":
        runpy.run_path(script, run_name="__main__")
