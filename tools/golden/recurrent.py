#!/usr/bin/python3
"""Golden files for the recurrent layers (chapters 17-18): nn.RNN (tanh), nn.LSTM, nn.GRU and
nn.Embedding, with PyTorch's own weights copied into dlcore (same layout: weight_ih_l0 is W_ih
(G H, D), weight_hh_l0 is W_hh (G H, H), both bias vectors).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/recurrent.py
Writes tests/golden/<case>/*.npy, time-major as dlcore: x (T, N, D), y (T, N, H), h0/c0 and
the final states hT/cT (N, H); a random upstream gradient dy for y and dhT/dcT for the final
states; dx, dh0, dc0 and every parameter gradient. `lengths` (N,) where a case has sequences
of different lengths, run through pack_padded_sequence (enforce_sorted=False): padded steps of
y are zero and get no gradient, the final state is each sequence's state after its own last
step. float64 unless the case name ends in _f32.
"""
import os
import sys

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402


def rnn_case(case, kind, T, N, D, H, seed, lengths=None, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    make = {"rnn": lambda: torch.nn.RNN(D, H, nonlinearity="tanh"),
            "lstm": lambda: torch.nn.LSTM(D, H), "gru": lambda: torch.nn.GRU(D, H)}[kind]
    torch.manual_seed(seed)
    net = make().to(dtype)
    x = torch.randn(T, N, D, generator=g, dtype=dtype).requires_grad_(True)
    h0 = (0.5 * torch.randn(1, N, H, generator=g, dtype=dtype)).requires_grad_(True)
    c0 = (0.5 * torch.randn(1, N, H, generator=g, dtype=dtype)).requires_grad_(True)
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
        out.update(c0=c0[0], cT=cT[0], dcT=dcT[0])
    loss.backward()
    if kind == "lstm":
        out["dc0"] = c0.grad[0]
    out.update(x=x, h0=h0[0], y=y, hT=hT[0], dy=dy, dhT=dhT[0], dx=x.grad, dh0=h0.grad[0],
               W_ih=net.weight_ih_l0, W_hh=net.weight_hh_l0, b_ih=net.bias_ih_l0, b_hh=net.bias_hh_l0,
               dW_ih=net.weight_ih_l0.grad, dW_hh=net.weight_hh_l0.grad,
               db_ih=net.bias_ih_l0.grad, db_hh=net.bias_hh_l0.grad)
    if lengths is not None:
        out["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    save(case, **out)


#        case               kind    T  N  D  H  seed
rnn_case("rnn_f64",         "rnn",  6, 3, 4, 5, 1)
rnn_case("lstm_f64",        "lstm", 6, 3, 4, 5, 2)
rnn_case("gru_f64",         "gru",  6, 3, 4, 5, 3)
rnn_case("rnn_ragged",      "rnn",  7, 4, 3, 5, 4, lengths=[7, 2, 5, 1])
rnn_case("lstm_ragged",     "lstm", 7, 4, 3, 5, 5, lengths=[3, 7, 1, 6])
rnn_case("gru_ragged",      "gru",  7, 4, 3, 5, 6, lengths=[1, 4, 7, 7])
rnn_case("lstm_f32",        "lstm", 28, 16, 28, 32, 7, dtype=torch.float32)
rnn_case("gru_f32",         "gru",  28, 16, 28, 32, 8, dtype=torch.float32)


def embedding_case(case, V, E, N, T, seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    emb = torch.nn.Embedding(V, E).double()
    ids = torch.randint(0, V, (N, T), generator=g)
    ids[0, 0] = ids[1, 2] = ids[2, 1]  # a repeated id accumulates its rows' gradients
    y = emb(ids)                                   # (N, T, E)
    dy = torch.randn(y.shape, generator=g, dtype=torch.float64)
    y.backward(dy)
    # dlcore: ids (N, T) as values; Y and dY time-major (T, N, E)
    save(case, ids=ids.double(), W=emb.weight, y=y.transpose(0, 1), dy=dy.transpose(0, 1),
         dW=emb.weight.grad)


embedding_case("embedding", 9, 4, 3, 5, 9)
