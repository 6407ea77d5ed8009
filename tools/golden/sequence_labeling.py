#!/usr/bin/python3
"""Golden files for sequence labelling (chapter 21): a bidirectional nn.LSTM / nn.GRU over a
packed batch of ragged sequences, the linear-chain CRF's negative log-likelihood written in
PyTorch (the forward algorithm with torch.logsumexp, differentiated by autograd), and the
per-step softmax cross-entropy (nn.CrossEntropyLoss with ignore_index at the padded steps).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/sequence_labeling.py
Writes tests/golden/<case>/*.npy, time-major as dlcore. Bidirectional cases: x (T, N, D),
y (T, N, 2H), the initial and final states of each direction as h0/h0_reverse, hT/hT_reverse
(and c for the LSTM) (N, H), a random upstream gradient dy and final-state gradients
dhT/dhT_reverse (dcT...), then dx, dh0, dh0_reverse (dc0...) and every parameter and its
gradient under dlcore's names (W_ih, ..., W_ih_reverse, ...). float64 unless the case name
ends in _f32.
"""
import os
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402


def bidirectional_case(case, kind, T, N, D, H, seed, lengths=None, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    net = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](D, H, bidirectional=True).to(dtype)
    x = torch.randn(T, N, D, generator=g, dtype=dtype).requires_grad_(True)
    h0 = (0.5 * torch.randn(2, N, H, generator=g, dtype=dtype)).requires_grad_(True)
    c0 = (0.5 * torch.randn(2, N, H, generator=g, dtype=dtype)).requires_grad_(True)
    state = (h0, c0) if kind == "lstm" else h0
    if lengths is None:
        y, fin = net(x, state)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        yp, fin = net(packed, state)
        y, _ = pad_packed_sequence(yp, total_length=T)
    hT, cT = (fin if kind == "lstm" else (fin, None))
    dy = torch.randn(y.shape, generator=g, dtype=dtype)
    dhT = torch.randn(hT.shape, generator=g, dtype=dtype)
    loss = (y * dy).sum() + (hT * dhT).sum()
    out = {}
    if kind == "lstm":
        dcT = torch.randn(cT.shape, generator=g, dtype=dtype)
        loss = loss + (cT * dcT).sum()
    loss.backward()
    for suffix, k in (("", 0), ("_reverse", 1)):
        out["h0" + suffix] = h0[k]
        out["hT" + suffix] = hT[k]
        out["dhT" + suffix] = dhT[k]
        out["dh0" + suffix] = h0.grad[k]
        if kind == "lstm":
            out["c0" + suffix] = c0[k]
            out["cT" + suffix] = cT[k]
            out["dcT" + suffix] = dcT[k]
            out["dc0" + suffix] = c0.grad[k]
        for mine, theirs in (("W_ih", "weight_ih_l0"), ("W_hh", "weight_hh_l0"),
                             ("b_ih", "bias_ih_l0"), ("b_hh", "bias_hh_l0")):
            p = getattr(net, theirs + suffix)
            out[mine + suffix] = p
            out["d" + mine + suffix] = p.grad
    out.update(x=x, y=y, dy=dy, dx=x.grad)
    if lengths is not None:
        out["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    save(case, **out)


#                  case              kind    T  N  D  H  seed
bidirectional_case("bilstm_ragged", "lstm", 7, 4, 3, 5, 21, lengths=[3, 7, 1, 5])
bidirectional_case("bigru_ragged",  "gru",  6, 3, 4, 5, 22, lengths=[6, 2, 4])
bidirectional_case("bilstm_f32",    "lstm", 30, 8, 16, 32, 23, lengths=[30, 12, 25, 3, 30, 17, 9, 22],
                   dtype=torch.float32)


def crf_nll(e, tags, lengths, A, start, end):
    """Sum over sequences of log Z - s(y), divided by the number of valid steps. e (T, N, K)."""
    total = 0
    for n, L in enumerate(lengths):
        y = tags[n, :L]
        s = start[y[0]] + end[y[L - 1]] + e[torch.arange(L), n, y].sum() + A[y[:-1], y[1:]].sum()
        alpha = start + e[0, n]
        for t in range(1, L):
            alpha = e[t, n] + torch.logsumexp(alpha[:, None] + A, dim=0)
        total = total + torch.logsumexp(alpha + end, dim=0) - s
    return total / sum(lengths)


def crf_case(case, T, N, K, lengths, seed):
    g = torch.Generator().manual_seed(seed)
    e = (2 * torch.randn(T, N, K, generator=g, dtype=torch.float64)).requires_grad_(True)
    A = torch.randn(K, K, generator=g, dtype=torch.float64).requires_grad_(True)
    start = torch.randn(K, generator=g, dtype=torch.float64).requires_grad_(True)
    end = torch.randn(K, generator=g, dtype=torch.float64).requires_grad_(True)
    tags = torch.randint(0, K, (N, T), generator=g)
    for n, L in enumerate(lengths):
        tags[n, L:] = -1
    loss = crf_nll(e, tags, lengths, A, start, end)
    loss.backward()
    save(case, emissions=e, tags=tags.int(), lengths=torch.tensor(lengths, dtype=torch.int64),
         A=A, start=start, end=end, loss=loss.reshape(1), demissions=e.grad, dA=A.grad,
         dstart=start.grad, dend=end.grad)


crf_case("crf_ragged", 9, 4, 5, [9, 4, 1, 6], 24)


def sequence_ce_case(case, T, N, K, lengths, seed):
    g = torch.Generator().manual_seed(seed)
    z = (2 * torch.randn(T, N, K, generator=g, dtype=torch.float64)).requires_grad_(True)
    tags = torch.randint(0, K, (N, T), generator=g)
    for n, L in enumerate(lengths):
        tags[n, L:] = -1
    loss = torch.nn.CrossEntropyLoss(ignore_index=-1)(z.reshape(T * N, K), tags.T.reshape(T * N))
    loss.backward()
    save(case, logits=z, tags=tags.int(), lengths=torch.tensor(lengths, dtype=torch.int64),
         loss=loss.reshape(1), dlogits=z.grad)


sequence_ce_case("sequence_ce_ragged", 6, 4, 5, [6, 2, 5, 1], 25)
