#!/usr/bin/python3
"""Load a model file saved by any chapter (dlcore's save_model) into the equivalent torch.nn
module, and check that PyTorch's predictions equal dlcore's.

    /usr/bin/python3 tools/dlcore_to_torch.py MODEL.npz                 # print the torch module
    /usr/bin/python3 tools/dlcore_to_torch.py MODEL.npz --expected LOGITS.npy \\
        [--inputs X.npy [--lengths L.npy] | --fashion-mnist DIR] [--atol 1e-4]
    /usr/bin/python3 tools/dlcore_to_torch.py --check-dir OUT_DIR       # every NAME.npz there
                                                                        # with NAME_logits.npy

A model file is an .npz (numpy.load opens it): "model.json" holds {"format": "dlbook-model",
"architecture": [one description per layer, e.g. "Linear(784 -> 512)"], "meta": {...}}, and
"I.NAME.npy" holds tensor NAME of layer I (e.g. "0.W.npy"). Layouts (docs/ch23_frameworks.md):
Linear's W is (D_in, D_out), torch's weight its transpose; Conv2D's W (C_out, C_in, k, k) and
the recurrent layers' W_ih (G H, D), W_hh (G H, H) (gate order i f g o, r z n) are torch's
own layouts; sequences are time-major (T, N, D) as in torch.nn.RNN; Flatten flattens
(C, H, W) as torch.nn.Flatten.

Mapped: Linear, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, Conv2D, MaxPool2D, AvgPool2D,
Flatten, Dropout, BatchNorm1d, BatchNorm2d, Embedding, RNN, LSTM, GRU, LastStep, MeanSteps,
MaxOverTime (the last two without lengths). Not mapped (the script names the layer and stops
with exit code 3): the residual and bottleneck blocks, depthwise and pointwise convolutions,
Conv1D, LayerNorm, the bidirectional wrapper, attention layers, the transformer block, CRF,
the Tree-LSTMs and the sequence-to-sequence model.

Inputs: --inputs X.npy (the exact tensor dlcore was given), or --fashion-mnist DIR (the first N
test images of Fashion-MNIST, N = rows of the expected logits, scaled x / 255 in float32 as
dlcore does). The check: the same argmax in every row and max |logit difference| <= --atol.
Exit codes: 0 equal, 1 different, 2 bad input, 3 a layer not mapped, 77 PyTorch is not
installed (ctest's SKIP_RETURN_CODE).
"""
import argparse
import gzip
import json
import os
import re
import sys
import zipfile

SKIP, DIFFERENT, BAD_INPUT, NOT_MAPPED = 77, 1, 2, 3
try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError:
    print("SKIPPED: PyTorch (or NumPy) is not installed (Debian: apt-get install python3-torch)")
    sys.exit(SKIP)


class NotMapped(Exception):
    pass


class TimeMajorEmbedding(nn.Module):
    """dlcore's Embedding: ids (N, T) held as floats -> (T, N, E)."""
    def __init__(self, vocab, dim):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)

    def forward(self, ids):
        return self.emb(ids.long()).transpose(0, 1)


class Recurrent(nn.Module):
    """dlcore's RNN/LSTM/GRU: (T, N, D) -> every step's h, (T, N, H), from zero states. A
    sequence's steps past its length are never read by LastStep, and a recurrent layer is
    causal, so running the padded steps changes nothing that reaches the output."""
    def __init__(self, kind, d, h):
        super().__init__()
        self.rnn = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind](d, h)

    def forward(self, x):
        return self.rnn(x)[0]


class LastStep(nn.Module):
    """Each sequence's output at its own last step, (T, N, H) -> (N, H)."""
    lengths = None  # set per batch by Net.forward

    def forward(self, x):
        if self.lengths is None:
            return x[-1]
        idx = (self.lengths - 1).view(1, -1, 1).expand(1, x.shape[1], x.shape[2])
        return x.gather(0, idx)[0]


class OverTime(nn.Module):
    def __init__(self, op):
        super().__init__()
        self.op = op

    def forward(self, x):
        return x.mean(0) if self.op == "mean" else x.max(0).values


class Net(nn.Sequential):
    def forward(self, x, lengths=None):
        for m in self:
            if isinstance(m, LastStep):
                m.lengths = lengths
            x = m(x)
        return x


def read_model(path):
    with zipfile.ZipFile(path) as f:
        if "model.json" not in f.namelist():
            raise ValueError(f"{path}: no model.json entry: not a dlcore model file")
        model = json.loads(f.read("model.json"))
    z = np.load(path)
    if "architecture" not in model:
        raise ValueError(f"{path}: model.json has no architecture (a checkpoint or a parameter file?)")
    tensors = {name: z[name] for name in z.files if name != "model.json"}  # numpy drops ".npy"
    return model, tensors


def tensor(tensors, i, name, shape=None):
    key = f"{i}.{name}"
    if key not in tensors:
        raise ValueError(f"layer {i}: no tensor {key} in the file")
    t = torch.from_numpy(np.ascontiguousarray(tensors[key]))
    if shape is not None and tuple(t.shape) != tuple(shape):
        raise ValueError(f"layer {i}: {key} has shape {tuple(t.shape)}, expected {tuple(shape)}")
    return t


def build(architecture, tensors, dtype=torch.float32):
    """One torch module per dlcore layer, with the file's tensors copied in."""
    layers = []
    for i, d in enumerate(architecture):
        m = re.fullmatch
        if r := m(r"Linear\((\d+) -> (\d+)\)", d):
            a, b = int(r[1]), int(r[2])
            layer = nn.Linear(a, b)
            layer.weight.data = tensor(tensors, i, "W", (a, b)).t().contiguous()  # W (D_in, D_out)
            layer.bias.data = tensor(tensors, i, "b", (b,))
        elif d in ("ReLU", "Sigmoid", "Tanh", "Flatten"):
            layer = getattr(nn, d)()
        elif r := m(r"LeakyReLU\(([-0-9.e]+)\)", d):
            layer = nn.LeakyReLU(float(r[1]))
        elif d == "Softmax":
            layer = nn.Softmax(dim=1)
        elif r := m(r"Dropout\(p=([0-9.e-]+)\)", d):
            layer = nn.Dropout(float(r[1]))  # identity in eval mode, like dlcore's Mode::eval
        elif r := m(r"Conv2D\((\d+) -> (\d+), (\d+)x(\d+), stride (\d+), pad (\d+)(, no bias)?\)", d):
            ci, co, kh, kw, s, p = (int(r[j]) for j in range(1, 7))
            layer = nn.Conv2d(ci, co, (kh, kw), stride=s, padding=p, bias=r[7] is None)
            layer.weight.data = tensor(tensors, i, "W", (co, ci, kh, kw))
            if r[7] is None:
                layer.bias.data = tensor(tensors, i, "b", (co,))
        elif r := m(r"(Max|Avg)Pool2D\((\d+)x\d+, stride (\d+)(?:, pad (\d+))?\)", d):
            k, s, p = int(r[2]), int(r[3]), int(r[4] or 0)
            layer = nn.MaxPool2d(k, s, p) if r[1] == "Max" else nn.AvgPool2d(k, s, p, count_include_pad=True)
        elif r := m(r"BatchNorm([12])d\((\d+)\)", d):
            c = int(r[2])
            layer = (nn.BatchNorm1d if r[1] == "1" else nn.BatchNorm2d)(c, eps=1e-5)
            layer.weight.data = tensor(tensors, i, "gamma", (c,))
            layer.bias.data = tensor(tensors, i, "beta", (c,))
            layer.running_mean.data = tensor(tensors, i, "running_mean", (c,))
            layer.running_var.data = tensor(tensors, i, "running_var", (c,))
        elif r := m(r"Embedding\((\d+) -> (\d+)\)", d):
            layer = TimeMajorEmbedding(int(r[1]), int(r[2]))
            layer.emb.weight.data = tensor(tensors, i, "W", (int(r[1]), int(r[2])))
        elif r := m(r"(RNN|LSTM|GRU)\((\d+) -> (\d+)\)", d):
            dd, h = int(r[2]), int(r[3])
            g = {"RNN": 1, "LSTM": 4, "GRU": 3}[r[1]] * h
            layer = Recurrent(r[1], dd, h)
            layer.rnn.weight_ih_l0.data = tensor(tensors, i, "W_ih", (g, dd))
            layer.rnn.weight_hh_l0.data = tensor(tensors, i, "W_hh", (g, h))
            layer.rnn.bias_ih_l0.data = tensor(tensors, i, "b_ih", (g,))
            layer.rnn.bias_hh_l0.data = tensor(tensors, i, "b_hh", (g,))
        elif d == "LastStep":
            layer = LastStep()
        elif d in ("MeanSteps", "MaxOverTime"):
            layer = OverTime("mean" if d == "MeanSteps" else "max")
        else:
            raise NotMapped(f"layer {i}, {d}, is not mapped to torch.nn by this script")
        layers.append(layer)
    return Net(*layers).to(dtype).eval()


def fashion_mnist_test(directory, n):
    """The first n Fashion-MNIST test images as (n, 1, 28, 28) float32 in [0, 1]."""
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            raw = (gzip.open if name.endswith(".gz") else open)(path, "rb").read()
            count = int.from_bytes(raw[4:8], "big")
            if n > count:
                raise ValueError(f"{path}: {count} images, {n} asked for")
            pixels = np.frombuffer(raw, np.uint8, count=n * 784, offset=16)
            return (pixels.astype(np.float32) / np.float32(255)).reshape(n, 1, 28, 28)
    raise ValueError(f"{directory}: no t10k-images-idx3-ubyte(.gz)")


def check(model_path, expected_path, inputs_path=None, lengths_path=None,
          fashion_dir="/usr/share/datasets/fashion-mnist", atol=1e-4):
    model, tensors = read_model(model_path)
    net = build(model["architecture"], tensors)
    expected = np.load(expected_path)
    if inputs_path:
        x = torch.from_numpy(np.load(inputs_path))
    else:
        x = torch.from_numpy(fashion_mnist_test(fashion_dir, expected.shape[0]))
        if model["architecture"][0].startswith("Linear(784"):
            x = x.reshape(x.shape[0], 784)
    lengths = torch.from_numpy(np.load(lengths_path)).long() if lengths_path else None
    torch.set_num_threads(1)
    with torch.no_grad():
        out = torch.cat([net(x[b:b + 500], None if lengths is None else lengths[b:b + 500])
                         for b in range(0, x.shape[0], 500)]).numpy()
    if out.shape != expected.shape:
        print(f"{model_path}: torch gives shape {out.shape}, dlcore {expected.shape}")
        return False
    diff = float(np.max(np.abs(out - expected)))
    if out.shape[1] > 1:
        same = int(np.sum(out.argmax(1) == expected.argmax(1)))
    else:  # one logit: the sign is the class
        same = int(np.sum((out[:, 0] > 0) == (expected[:, 0] > 0)))
    ok = same == out.shape[0] and diff <= atol
    print(f"{os.path.basename(model_path)}: {len(model['architecture'])} layers -> torch.nn; "
          f"{out.shape[0]} inputs: same prediction on {same}/{out.shape[0]}, max |logit difference| "
          f"{diff:.2e} (tolerance {atol:g}): {'EQUAL' if ok else 'DIFFERENT'}")
    return ok


def self_test():
    """The checker can fail: a Linear-ReLU-Linear file written here, its logits computed with
    numpy alone, must be EQUAL; the same logits moved by 1e-3 must be DIFFERENT; a residual
    block must be NOT MAPPED."""
    import tempfile
    rng = np.random.default_rng(0)
    W0, b0 = rng.normal(size=(6, 5)).astype(np.float32), rng.normal(size=5).astype(np.float32)
    W2, b2 = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=3).astype(np.float32)
    X = rng.normal(size=(40, 6)).astype(np.float32)
    logits = np.maximum(X @ W0 + b0, 0) @ W2 + b2  # dlcore's Linear: X W + b

    def write(d, arch):
        path = os.path.join(d, "m.npz")
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("model.json", json.dumps({"format": "dlbook-model", "architecture": arch}))
            for name, t in {"0.W": W0, "0.b": b0, "2.W": W2, "2.b": b2}.items():
                with z.open(name + ".npy", "w") as f:
                    np.lib.format.write_array(f, t)
        return path

    with tempfile.TemporaryDirectory() as d:
        np.save(os.path.join(d, "x.npy"), X)
        np.save(os.path.join(d, "good.npy"), logits)
        np.save(os.path.join(d, "bad.npy"), logits + np.float32(1e-3))
        model = write(d, ["Linear(6 -> 5)", "ReLU", "Linear(5 -> 3)"])
        same = check(model, os.path.join(d, "good.npy"), os.path.join(d, "x.npy"))
        moved = check(model, os.path.join(d, "bad.npy"), os.path.join(d, "x.npy"))
        try:
            build(["ResidualBlock(16 -> 16, stride 1, identity)"], {})
            unmapped = False
        except NotMapped as e:
            print(f"NOT MAPPED, as it must be: {e}")
            unmapped = True
    ok = same and not moved and unmapped
    print("self-test:", "passed" if ok else "FAILED")
    return 0 if ok else DIFFERENT


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", nargs="?", help="a model file (.npz) saved by a chapter")
    ap.add_argument("--expected", help="dlcore's outputs for the inputs (.npy, (N, K))")
    ap.add_argument("--inputs", help="the inputs (.npy), e.g. (N, 784), (N, 1, 28, 28) or token ids (N, T)")
    ap.add_argument("--lengths", help="each sequence's length (.npy, (N)), for token-id inputs")
    ap.add_argument("--fashion-mnist", default="/usr/share/datasets/fashion-mnist",
                    help="where the Fashion-MNIST test images are, when --inputs is not given")
    ap.add_argument("--atol", type=float, default=1e-4, help="largest allowed |logit difference|")
    ap.add_argument("--check-dir", help="check every NAME.npz with a NAME_logits.npy beside it")
    ap.add_argument("--self-test", action="store_true", help="show that the check tells equal from different")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    try:
        if a.check_dir:
            names = sorted(f[:-4] for f in os.listdir(a.check_dir)
                           if f.endswith(".npz") and os.path.exists(os.path.join(a.check_dir, f[:-4] + "_logits.npy")))
            if not names:
                print(f"{a.check_dir}: no NAME.npz with NAME_logits.npy here")
                return BAD_INPUT
            ok = True
            for n in names:
                p = lambda suffix: os.path.join(a.check_dir, n + suffix)
                ok &= check(p(".npz"), p("_logits.npy"),
                            p("_inputs.npy") if os.path.exists(p("_inputs.npy")) else None,
                            p("_lengths.npy") if os.path.exists(p("_lengths.npy")) else None,
                            a.fashion_mnist, a.atol)
            return 0 if ok else DIFFERENT
        if not a.model:
            ap.error("give a model file or --check-dir")
        if not a.expected:
            model, tensors = read_model(a.model)
            print(build(model["architecture"], tensors))
            return 0
        return 0 if check(a.model, a.expected, a.inputs, a.lengths, a.fashion_mnist, a.atol) else DIFFERENT
    except NotMapped as e:
        print(f"NOT MAPPED: {e}")
        return NOT_MAPPED
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as e:
        print(f"error: {e}")
        return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
