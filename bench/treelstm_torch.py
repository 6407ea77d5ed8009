#!/usr/bin/python3
"""PyTorch's side of `make bench` for Chapter 22: the binary Tree-LSTM, level-batched.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/treelstm_torch.py [--infer] [--epochs 3] [--threads 2]

The treebank is bench/treelstm_bench.hpp's, tree for tree: its generator replayed with
dl::Rng's engine (charlm_torch.Mt19937_64). 8,000 random binary bracketings of 5-40 token ids
from a vocabulary of 5,000, a class in 0..4 on every node. The model is dlcore's: Embedding(5000,
100) on the leaves; the binary Tree-LSTM of Tai et al. (2015) with 150 units (gates
a = W x + U_1 h_1 + U_2 h_2 + b; only leaves have inputs, so a leaf needs W's i, o, u rows and
no child term); Linear(150 -> 5) on every node's h; cross-entropy averaged over the nodes of the
batch; Adam 1e-3; batch 25 trees in a fresh random order every epoch.

PyTorch at its best for trees is level batching (what dlcore does too): the nodes of one height
across the batch go through the cell together, the children's states gathered by index
(index_select), one matmul per level, autograd for the backward pass. The batch's schedule
(heights, level order, children's positions) is computed with numpy inside the timed loop, as
dlcore computes its own inside forward. Prints "<workload> <median seconds per pass>".
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from charlm_torch import Mt19937_64  # noqa: E402  (dl::Rng's engine, bit for bit)

# PyTorch's formulation for `make bench` (`--variant best` times both). Measured here, one
# thread each, one epoch: buffer 9.47 s and cat 9.55 s of processor time (23.9 s and 21.2 s
# wall-clock on a loaded machine): the same within the noise.
BEST_VARIANT = "buffer"

TREES, VOCAB, EMBED, HIDDEN, CLASSES, BATCH, MIN_WORDS, MAX_WORDS = 8000, 5000, 100, 150, 5, 25, 5, 40


def make_treebank(seed=13):
    """Each tree as numpy arrays in post-order: left, right (-1 for none), token (-1 inside),
    label, height."""
    rng = Mt19937_64(seed)
    bank = []
    for _ in range(TREES):
        left, right, token, label, height = [], [], [], [], []

        def grow(words):
            if words == 1:
                l = r = -1
                tok, hgt = rng.below(VOCAB), 0
            else:
                k = 1 + rng.below(words - 1)
                l = grow(k)
                r = grow(words - k)
                tok, hgt = -1, 1 + max(height[l], height[r])
            left.append(l), right.append(r), token.append(tok), height.append(hgt)
            label.append(rng.below(CLASSES))
            return len(left) - 1

        grow(MIN_WORDS + rng.below(MAX_WORDS - MIN_WORDS + 1))
        bank.append(tuple(np.array(v, dtype=np.int64) for v in (left, right, token, label, height)))
    return bank


def schedule(bank, idx):
    """The level-order schedule of trees `idx`: leaf tokens, labels in level order, and per
    level above the leaves its range and its nodes' children's positions (n = no child)."""
    sizes = [len(bank[t][0]) for t in idx]
    offs = np.cumsum([0] + sizes[:-1])
    left = np.concatenate([np.where(bank[t][0] >= 0, bank[t][0] + o, -1) for t, o in zip(idx, offs)])
    right = np.concatenate([np.where(bank[t][1] >= 0, bank[t][1] + o, -1) for t, o in zip(idx, offs)])
    token = np.concatenate([bank[t][2] for t in idx])
    label = np.concatenate([bank[t][3] for t in idx])
    height = np.concatenate([bank[t][4] for t in idx])
    n = len(height)
    order = np.argsort(height, kind="stable")  # level order: (height, tree, node)
    pos = np.empty(n + 1, dtype=np.int64)
    pos[order] = np.arange(n)
    pos[-1] = n  # "no child" -> the zero row
    bounds = np.searchsorted(height[order], np.arange(height.max() + 2))
    levels = []
    for l in range(1, len(bounds) - 1):
        nodes = order[bounds[l]:bounds[l + 1]]
        levels.append((int(bounds[l]), int(bounds[l + 1]),
                       torch.from_numpy(pos[left[nodes]]), torch.from_numpy(pos[right[nodes]])))
    leaves = int(bounds[1])
    return torch.from_numpy(token[order[:leaves]]), torch.from_numpy(label[order]), levels


class BinaryTreeLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        H = HIDDEN
        self.emb = torch.nn.Embedding(VOCAB, EMBED)
        self.W = torch.nn.Linear(EMBED, 3 * H, bias=False)   # W's i, o, u rows: leaves only
        self.U = torch.nn.Linear(2 * H, 5 * H, bias=False)   # [U_1 U_2], gates i, o, u, f_1, f_2
        self.b = torch.nn.Parameter(torch.empty(5 * H).uniform_(-H ** -0.5, H ** -0.5))
        self.out = torch.nn.Linear(H, CLASSES)

    def cell(self, a, c_left, c_right):
        """An inner level's new state from its pre-activations and its children's cells."""
        H = HIDDEN
        s = torch.sigmoid(a)  # i, o, (u), f_1, f_2
        c = s[:, :H] * torch.tanh(a[:, 2 * H:3 * H]) + s[:, 3 * H:4 * H] * c_left + s[:, 4 * H:] * c_right
        return s[:, H:2 * H] * torch.tanh(c), c

    def leaves(self, tokens):
        H = HIDDEN
        a = self.W(self.emb(tokens)) + self.b[:3 * H]
        io = torch.sigmoid(a[:, :2 * H])
        c = io[:, :H] * torch.tanh(a[:, 2 * H:])
        return io[:, H:] * torch.tanh(c), c

    def forward(self, tokens, levels, variant="buffer"):
        """h of every node in level order (n, H). variant "buffer": every level writes its
        states into one (n + 1, H) buffer in place (autograd's CopySlices), children gathered
        from it; "cat": the levels' states kept apart and concatenated before each gather."""
        h0, c0 = self.leaves(tokens)
        zero = torch.zeros(1, HIDDEN)
        if variant == "cat":
            hs, cs = [h0], [c0]
            for _, _, left, right in levels:
                h_all, c_all = torch.cat(hs + [zero]), torch.cat(cs + [zero])
                a = self.U(torch.cat([h_all.index_select(0, left), h_all.index_select(0, right)], 1)) + self.b
                h, c = self.cell(a, c_all.index_select(0, left), c_all.index_select(0, right))
                hs.append(h)
                cs.append(c)
            return torch.cat(hs)
        n = levels[-1][1] if levels else len(h0)
        h_all, c_all = torch.zeros(n + 1, HIDDEN), torch.zeros(n + 1, HIDDEN)
        h_all[:len(h0)] = h0
        c_all[:len(h0)] = c0
        for p0, p1, left, right in levels:
            a = self.U(torch.cat([h_all.index_select(0, left), h_all.index_select(0, right)], 1)) + self.b
            h, c = self.cell(a, c_all.index_select(0, left), c_all.index_select(0, right))
            h_all[p0:p1] = h
            c_all[p0:p1] = c
        return h_all[:n]


def run(epochs, train, threads, variant):
    torch.set_num_threads(threads)
    start = time.perf_counter()
    bank = make_treebank()
    print("treebank: %d trees, %d nodes, made in %.1f s" % (len(bank), sum(len(t[0]) for t in bank),
                                                           time.perf_counter() - start), file=sys.stderr)
    torch.manual_seed(1)
    net = BinaryTreeLSTM()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    times, cpu = [], []  # wall-clock and processor seconds (all threads)
    for e in range(epochs + 1):  # epoch 0 warms up
        start, cpu0 = time.perf_counter(), time.process_time()
        perm = np.random.permutation(len(bank)) if train else np.arange(len(bank))
        for i in range(0, len(bank), BATCH):
            tokens, labels, levels = schedule(bank, perm[i:i + BATCH])
            if train:
                opt.zero_grad()
                loss = loss_fn(net.out(net(tokens, levels, variant)), labels)
                loss.backward()
                opt.step()
            else:
                with torch.no_grad():
                    loss_fn(net.out(net(tokens, levels, variant)), labels)
        if e > 0:
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu0)
    s = statistics.median(times)
    print("treelstm %s (%s): %.1f ms per pass, %.0f trees/s, %.2f s of processor time; pytorch %s, %d threads, OMP_WAIT_POLICY=%s" % (
        "training" if train else "inference", variant, 1e3 * s, len(bank) / s, statistics.median(cpu), torch.__version__,
        torch.get_num_threads(), os.environ.get("OMP_WAIT_POLICY", "(unset)")), file=sys.stderr)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--infer", action="store_true", help="time inference passes instead of training epochs")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--variant", default=BEST_VARIANT, choices=["best", "buffer", "cat"],
                    help="PyTorch's formulation of the level states (best: time both, print the faster)")
    args = ap.parse_args()
    variants = ["buffer", "cat"] if args.variant == "best" else [args.variant]
    s = min(run(args.epochs, not args.infer, args.threads, v) for v in variants)
    print("%s %.4f" % ("treelstm_infer" if args.infer else "treelstm_epoch", s))


if __name__ == "__main__":
    main()
