#!/usr/bin/python3
"""Golden files for the Tree-LSTMs of Chapter 22 (Tai, Socher & Manning 2015).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/tree_lstm.py
A plain PyTorch Tree-LSTM, one node at a time in each tree's stored order (children before
parent), autograd for the gradients: nothing shared with dlcore's level-batched code.

Layout as dlcore (dlcore/layers/tree_lstm.hpp): gate blocks of H rows, W (G H, D),
U (G H, H) for Child-Sum (i, o, u, f) and U = [U_1 U_2] (G H, 2 H) for the binary cell
(i, o, u, f_1, f_2); b (G H). A batch of trees is stored as `parent` (n,), the node-order
index of each node's parent within the concatenated trees (-1 for a root), and `sizes`
(trees,); children are left to right in index order. Child-Sum: every node has an input row
(x is (n, D)); binary: leaves only (x is (leaves, D), in node order), inner nodes have no W x
term. A unary binary node's child is its left child; missing children are zero states.
Files per case: x, parent, sizes, W, U, b, h (n, H), dh (the upstream gradient), dx, dW, dU, db.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402


def children_of(parent):
    kids = [[] for _ in parent]
    for q, p in enumerate(parent):
        if p >= 0:
            kids[p].append(q)
    return kids


def tree_lstm_case(case, kind, trees, D, H, seed, dtype=torch.float64):
    """trees: list of per-tree children lists (node indices within the tree)."""
    g = torch.Generator().manual_seed(seed)
    parent, sizes, offset = [], [], 0
    for t in trees:
        par = [-1] * len(t)
        for i, ch in enumerate(t):
            for c in ch:
                par[c] = offset + i
        parent += par
        sizes.append(len(t))
        offset += len(t)
    n = len(parent)
    kids = children_of(parent)
    leaves = [i for i in range(n) if not kids[i]]
    G = 4 if kind == "child_sum" else 5
    a = H ** -0.5
    W = ((torch.rand(G * H, D, generator=g, dtype=dtype) * 2 - 1) * a).requires_grad_(True)
    U = ((torch.rand(G * H, H if kind == "child_sum" else 2 * H, generator=g, dtype=dtype) * 2 - 1) * a).requires_grad_(True)
    b = ((torch.rand(G * H, generator=g, dtype=dtype) * 2 - 1) * a).requires_grad_(True)
    rows = n if kind == "child_sum" else len(leaves)
    x = torch.randn(rows, D, generator=g, dtype=dtype).requires_grad_(True)
    zero = torch.zeros(H, dtype=dtype)
    h, c = [None] * n, [None] * n
    for j in range(n):  # node order: every child before its parent
        if kind == "child_sum":
            a_x = W @ x[j] + b
            hs = sum((h[k] for k in kids[j]), zero)
            iou = a_x[:3 * H] + U[:3 * H] @ hs
            i, o, u = torch.sigmoid(iou[:H]), torch.sigmoid(iou[H:2 * H]), torch.tanh(iou[2 * H:])
            cj = i * u
            for k in kids[j]:
                f = torch.sigmoid(a_x[3 * H:] + U[3 * H:] @ h[k])
                cj = cj + f * c[k]
        else:
            a_j = b + (W @ x[leaves.index(j)] if not kids[j] else 0)
            hk = [h[k] for k in kids[j]] + [zero] * (2 - len(kids[j]))
            ck = [c[k] for k in kids[j]] + [zero] * (2 - len(kids[j]))
            a_j = a_j + U @ torch.cat(hk)
            i, o = torch.sigmoid(a_j[:H]), torch.sigmoid(a_j[H:2 * H])
            u = torch.tanh(a_j[2 * H:3 * H])
            f1, f2 = torch.sigmoid(a_j[3 * H:4 * H]), torch.sigmoid(a_j[4 * H:])
            cj = i * u + f1 * ck[0] + f2 * ck[1]
        c[j] = cj
        h[j] = o * torch.tanh(cj)
    hmat = torch.stack(h)
    dh = torch.randn(hmat.shape, generator=g, dtype=dtype)
    (hmat * dh).sum().backward()
    save(case, x=x, parent=torch.tensor(parent, dtype=torch.int64), sizes=torch.tensor(sizes, dtype=torch.int64),
         W=W, U=U, b=b, h=hmat, dh=dh, dx=x.grad, dW=W.grad, dU=U.grad, db=b.grad)


# Trees as children lists, children before parent, root last.
LEFT_CHAIN = [[], [], [0, 1], [], [2, 3], [], [4, 5]]           # (((a b) c) d)
RIGHT_CHAIN = [[], [], [], [], [2, 3], [1, 4], [0, 5]]          # (a (b (c d)))
WIDE = [[], [], [], [0, 1, 2], [], [4], [], [], [3, 5, 6, 7]]    # 3 and 4 children, a unary node
UNARY = [[], [0], [], [1, 2], [], [], [4, 5], [6], [3, 7]]       # binary with unary nodes
SINGLE = [[]]
BALANCED = [[], [], [0, 1], [], [], [3, 4], [2, 5]]

tree_lstm_case("child_sum_tree_lstm", "child_sum", [WIDE, LEFT_CHAIN, SINGLE, RIGHT_CHAIN], 4, 5, 21)
tree_lstm_case("binary_tree_lstm", "binary", [UNARY, RIGHT_CHAIN, SINGLE, LEFT_CHAIN, BALANCED], 4, 5, 22)
tree_lstm_case("binary_tree_lstm_f32", "binary", [UNARY, BALANCED, LEFT_CHAIN], 16, 24, 23, dtype=torch.float32)
