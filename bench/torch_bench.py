#!/usr/bin/python3
"""PyTorch's side of `make bench`: the same models, recipe and protocol as bench_dlcore.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_bench.py --workload mlp_epoch --threads 2

Prints "<workload> <median seconds per epoch>". One warm-up epoch, then the median of
--epochs timed epochs over the 60,000 Fashion-MNIST training images (the seed CNN: over the
first 12,800, scaled to 60,000), batches gathered from a fresh permutation each epoch, float32.
charlm_gru_epoch is Chapter 19's character GRU over the 80,000 training words (bench/charlm_torch.py:
the same words as dlcore's), Adam 2e-3, batch 128, in PyTorch's two formulations of variable-length
sequences, padded (the output at each word's last letter gathered) and packed (each step runs only the
words still going); the faster one's time is printed, both go to stderr.
treelstm_epoch / treelstm_infer: Chapter 22's binary Tree-LSTM over 8,000 generated trees, a
training epoch / an inference pass (bench/treelstm_torch.py: the same trees as dlcore's, level-batched).
transformer_block_epoch: Chapter 20's Transformer reader over the 80,000 training words of the
word-language recipe (datasets/words.hpp, rebuilt here from the same Debian word lists with
its own random sample), not scaled; --variant picks PyTorch's formulation of the block.
"""
import argparse
import collections
import gzip
import statistics
import sys
import time

import numpy as np
import torch

DATA = "/usr/share/datasets/fashion-mnist"


def load_train():
    with gzip.open(DATA + "/train-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    with gzip.open(DATA + "/train-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))


def lenet5():  # dlcore/models/cnns.hpp
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def seed_cnn():  # dlcore/models/cnns.hpp
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Dropout(0.25),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
                         nn.Linear(1600, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))


class RowReader(torch.nn.Module):  # dlcore/models/recurrent.hpp: sequence_to_one(cell, 28, 128, 10)
    def __init__(self, cell):
        super().__init__()
        self.rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](28, 128)
        self.fc = torch.nn.Linear(128, 10)

    def forward(self, x):  # x (N, 28, 28) -> time-major (28, N, 28): the layout cuDNN and the CPU kernels take
        out, _ = self.rnn(x.transpose(0, 1))
        return self.fc(out[-1])


def images(x):
    return x.reshape(-1, 1, 28, 28)


def rows(x):
    return x.reshape(-1, 28, 28)


def load_words(per_language=20000, seed=0, max_len=20):
    """The word-language recipe of datasets/words.hpp: ids (N, 20) padded with 0, labels."""
    lists = []
    for f in ["american-english", "french", "ngerman", "spanish", "italian"]:
        with open("/usr/share/dict/" + f, encoding="utf-8") as fh:
            words = {w.lower() for w in (line.rstrip("\n") for line in fh) if 3 <= len(w) <= 20 and w.isalpha()}
        lists.append(sorted(words))
    count = collections.Counter(w for ws in lists for w in ws)
    g = torch.Generator().manual_seed(seed)
    words, labels = [], []
    for lang, ws in enumerate(lists):
        unique = [w for w in ws if count[w] == 1]
        for i in torch.randperm(len(unique), generator=g)[:per_language].tolist():
            words.append(unique[i])
            labels.append(lang)
    order = torch.randperm(len(words), generator=g)[:len(words) * 8 // 10].tolist()
    train = [words[i] for i in order]
    ids = {c: k + 2 for k, c in enumerate(sorted({c for w in train for c in w}))}
    X = torch.zeros(len(train), max_len, dtype=torch.long)
    for n, w in enumerate(train):
        X[n, :len(w)] = torch.tensor([ids[c] for c in w[:max_len]])
    return X, torch.tensor([labels[i] for i in order]), len(ids) + 2


class TransformerReader(torch.nn.Module):  # dlcore/models/transformer.hpp: transformer_classifier
    """Embedding, sinusoidal positions, one post-norm encoder block (E 64, 4 heads, F 256, no
    dropout), the mean over each word's letters, Linear to the 5 languages. variant: "layer"
    (nn.TransformerEncoderLayer, time-major), "layer_bf" (the same, batch_first=True) or
    "manual" (nn.MultiheadAttention, nn.LayerNorm and two nn.Linear written out, time-major)."""

    def __init__(self, vocab, variant, E=64, heads=4, F=256, K=5, T=20):
        super().__init__()
        nn = torch.nn
        self.variant = variant
        self.emb = nn.Embedding(vocab, E)
        if variant == "manual":
            self.attn, self.norm1, self.norm2 = nn.MultiheadAttention(E, heads), nn.LayerNorm(E), nn.LayerNorm(E)
            self.ff = nn.Sequential(nn.Linear(E, F), nn.ReLU(), nn.Linear(F, E))
        else:
            self.block = nn.TransformerEncoderLayer(E, heads, F, dropout=0.0, batch_first=variant == "layer_bf")
        self.fc = nn.Linear(E, K)
        pos = torch.arange(T, dtype=torch.float32)[:, None] / torch.pow(10000.0, torch.arange(0, E, 2) / E)
        pe = torch.zeros(T, E)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos), torch.cos(pos)
        self.register_buffer("pe", pe)

    def forward(self, ids):  # ids (N, T), 0 = padding
        pad = ids == 0
        keep = (~pad).float()
        if self.variant == "layer_bf":
            h = self.block(self.emb(ids) + self.pe, src_key_padding_mask=pad)  # (N, T, E)
            return self.fc((h * keep[:, :, None]).sum(1) / keep.sum(1, keepdim=True))
        x = self.emb(ids.t()) + self.pe[:, None, :]  # (T, N, E)
        if self.variant == "manual":
            h = self.norm1(x + self.attn(x, x, x, key_padding_mask=pad, need_weights=False)[0])
            h = self.norm2(h + self.ff(h))
        else:
            h = self.block(x, src_key_padding_mask=pad)
        return self.fc((h * keep.t()[:, :, None]).sum(0) / keep.sum(1, keepdim=True))


# name: (model, input shaping, batch size, training images timed; scaled to 60,000)
WORKLOADS = {"mlp_epoch": (mlp, lambda x: x, 128, 60000),
             "lenet5_epoch": (lenet5, images, 128, 60000),
             "seed_cnn_epoch_b32": (seed_cnn, images, 32, 12800),
             "seed_cnn_epoch_b128": (seed_cnn, images, 128, 12800),
             "lstm_epoch": (lambda: RowReader("lstm"), rows, 128, 60000),
             "gru_epoch": (lambda: RowReader("gru"), rows, 128, 60000),
             "transformer_block_epoch": (TransformerReader, None, 128, None)}


def charlm_epochs(epochs):
    """Median seconds per epoch of the char GRU over the training words; the faster formulation."""
    sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
    import charlm_torch as cl
    train, _, _, chars = cl.load_word_languages()
    X, L, y = cl.encode(train, chars)
    best = {}
    for packed in (False, True):
        torch.manual_seed(1)
        net = cl.CharReader(len(chars) + 2, "gru", packed=packed)
        opt = torch.optim.Adam(net.parameters(), lr=2e-3)
        loss_fn = torch.nn.CrossEntropyLoss()
        times = []
        for e in range(epochs + 1):
            start = time.perf_counter()
            perm = torch.randperm(len(X))
            for i in range(0, len(X), 128):
                idx = perm[i:i + 128]
                opt.zero_grad()
                loss_fn(net(X[idx], L[idx]), y[idx]).backward()
                opt.step()
            if e > 0:
                times.append(time.perf_counter() - start)
        best["packed" if packed else "padded"] = statistics.median(times)
    print("charlm_gru_epoch: padded %.3f s, packed %.3f s" % (best["padded"], best["packed"]), file=sys.stderr)
    return min(best.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workload", default="mlp_epoch",
                    choices=sorted(WORKLOADS) + ["charlm_gru_epoch", "treelstm_epoch", "treelstm_infer"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    # PyTorch's fastest formulation is the default: on this machine (2 threads, PASSIVE, under
    # load) one epoch took 18.0 s with layer_bf, 23.8 s with manual and 51.9 s with layer.
    ap.add_argument("--variant", default="layer_bf", choices=["layer", "layer_bf", "manual"],
                    help="transformer_block_epoch: PyTorch's formulation of the block (default: its fastest here)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    if args.workload == "charlm_gru_epoch":
        print("%s %.4f" % (args.workload, charlm_epochs(args.epochs)))
        return
    if args.workload.startswith("treelstm_"):  # Chapter 22's binary Tree-LSTM, level-batched
        sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
        import treelstm_torch as tl
        train = args.workload == "treelstm_epoch"
        print("%s %.4f" % (args.workload, tl.run(args.epochs, train, args.threads, tl.BEST_VARIANT)))
        return
    make, shape, batch, n = WORKLOADS[args.workload]
    if shape is None:  # the word readers: all training words, not scaled
        X, y, vocab = load_words()
        net = make(vocab, args.variant)
        scale = 1.0
    else:
        X, y = load_train()
        X, y = shape(X)[:n].contiguous(), y[:n]
        net = make()
        scale = 60000 / len(X)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    times = []
    for e in range(args.epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(len(X))
        for i in range(0, len(X), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss_fn(net(X[idx]), y[idx]).backward()
            opt.step()
        if e > 0:
            times.append((time.perf_counter() - start) * scale)
    print("%s %.4f" % (args.workload, statistics.median(times)))
    print("pytorch %s: float32, %d threads, OMP_WAIT_POLICY=%s" % (
        torch.__version__, torch.get_num_threads(),
        __import__("os").environ.get("OMP_WAIT_POLICY", "(unset)")), file=sys.stderr)


if __name__ == "__main__":
    main()
