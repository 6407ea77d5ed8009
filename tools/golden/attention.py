#!/usr/bin/python3
"""Golden files for Chapter 20: nn.LayerNorm, nn.MultiheadAttention (self-attention, with a
key padding mask) and nn.TransformerEncoderLayer (post-norm, ReLU, dropout 0), PyTorch's own
weights copied into dlcore (the same layouts: in_proj_weight (3E, E), out_proj.weight (E, E),
linear1.weight (F, E), linear2.weight (E, F)).

Run alone with Debian's interpreter:  /usr/bin/python3 tools/golden/attention.py
Writes tests/golden/<case>/*.npy, time-major as dlcore: x (T, N, E), y (T, N, E), a random
upstream gradient dy, dx and every parameter gradient; `lengths` (N,) where a case has padded
sequences (key_padding_mask: True at the positions t >= length), and for nn.MultiheadAttention
its head-averaged weights (N, T, T). float64 unless the case name ends in _f32.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from golden.common import save  # noqa: E402


def padding_mask(lengths, T):
    return torch.arange(T)[None, :] >= torch.tensor(lengths)[:, None]  # (N, T), True = padded


def layernorm_case(case, shape, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    ln = torch.nn.LayerNorm(shape[-1]).to(dtype)
    with torch.no_grad():  # away from the initial 1 and 0, so both gradients are tested
        ln.weight.copy_(1 + 0.5 * torch.randn(shape[-1], generator=g, dtype=dtype))
        ln.bias.copy_(0.5 * torch.randn(shape[-1], generator=g, dtype=dtype))
    x = (2 * torch.randn(*shape, generator=g, dtype=dtype) + 1).requires_grad_(True)
    y = ln(x)
    dy = torch.randn(y.shape, generator=g, dtype=dtype)
    y.backward(dy)
    save(case, x=x, y=y, dy=dy, dx=x.grad, gamma=ln.weight, beta=ln.bias,
         dgamma=ln.weight.grad, dbeta=ln.bias.grad)


def mha_case(case, T, N, E, heads, lengths, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(E, heads).to(dtype)
    with torch.no_grad():  # nonzero biases, so their gradients and effects are tested
        mha.in_proj_bias.copy_(0.1 * torch.randn(3 * E, generator=g, dtype=dtype))
        mha.out_proj.bias.copy_(0.1 * torch.randn(E, generator=g, dtype=dtype))
    x = torch.randn(T, N, E, generator=g, dtype=dtype).requires_grad_(True)
    mask = padding_mask(lengths, T) if lengths else None
    y, w = mha(x, x, x, key_padding_mask=mask, need_weights=True, average_attn_weights=True)
    dy = torch.randn(y.shape, generator=g, dtype=dtype)
    y.backward(dy)
    out = dict(x=x, y=y, weights=w, dy=dy, dx=x.grad,
               W_in=mha.in_proj_weight, b_in=mha.in_proj_bias, W_out=mha.out_proj.weight,
               b_out=mha.out_proj.bias, dW_in=mha.in_proj_weight.grad, db_in=mha.in_proj_bias.grad,
               dW_out=mha.out_proj.weight.grad, db_out=mha.out_proj.bias.grad)
    if lengths:
        out["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    save(case, **out)


def block_case(case, T, N, E, heads, F, lengths, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    layer = torch.nn.TransformerEncoderLayer(E, heads, dim_feedforward=F, dropout=0.0).to(dtype)
    with torch.no_grad():
        layer.self_attn.in_proj_bias.copy_(0.1 * torch.randn(3 * E, generator=g, dtype=dtype))
        layer.self_attn.out_proj.bias.copy_(0.1 * torch.randn(E, generator=g, dtype=dtype))
        for ln in (layer.norm1, layer.norm2):
            ln.weight.copy_(1 + 0.3 * torch.randn(E, generator=g, dtype=dtype))
            ln.bias.copy_(0.3 * torch.randn(E, generator=g, dtype=dtype))
    x = torch.randn(T, N, E, generator=g, dtype=dtype).requires_grad_(True)
    mask = padding_mask(lengths, T) if lengths else None
    y = layer(x, src_key_padding_mask=mask)
    dy = torch.randn(y.shape, generator=g, dtype=dtype)
    y.backward(dy)
    a = layer.self_attn
    params = dict(W_in=a.in_proj_weight, b_in=a.in_proj_bias, W_out=a.out_proj.weight, b_out=a.out_proj.bias,
                  gamma1=layer.norm1.weight, beta1=layer.norm1.bias, W_1=layer.linear1.weight,
                  b_1=layer.linear1.bias, W_2=layer.linear2.weight, b_2=layer.linear2.bias,
                  gamma2=layer.norm2.weight, beta2=layer.norm2.bias)
    out = dict(x=x, y=y, dy=dy, dx=x.grad)
    for name, p in params.items():
        out[name] = p
        out["d" + name] = p.grad
    if lengths:
        out["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    save(case, **out)


#              case                shape / sizes        seed
layernorm_case("layernorm_f64",    (4, 3, 6),           11)
layernorm_case("layernorm_f32",    (20, 16, 64),        12, dtype=torch.float32)
#        case         T  N  E  heads lengths      seed
mha_case("mha_f64",   5, 3, 8, 2,    None,        13)
mha_case("mha_padded", 6, 4, 8, 2,   [6, 3, 1, 5], 14)
mha_case("mha_f32",   20, 16, 64, 4, None,        15, dtype=torch.float32)
#          case                T  N  E  heads F   lengths        seed
block_case("transformer_f64",    5, 3, 8, 2, 16, None,          16)
block_case("transformer_padded", 6, 4, 8, 2, 16, [6, 2, 4, 1],  17)
block_case("transformer_f32",    20, 16, 64, 4, 256, None,      18, dtype=torch.float32)
print("attention golden files written", file=sys.stderr)
