#!/usr/bin/python3
"""PyTorch reference for Chapter 19: which language is a word? A character GRU (or LSTM).

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/charlm_torch.py [--cell gru|lstm] [--seed 1]

The data are exactly the chapter's (datasets/words.hpp): the same five Debian word lists, the
same filtering, and the same words in the same splits, because the sampling replays dlcore's
generator (std::mt19937_64 with dl::Rng's rejection sampling and Fisher-Yates permutation)
with data seed 0. The recipe: Embedding(V, 32) -> GRU(32 -> 128) over each word's own
characters -> the state after its last character -> Linear(128 -> 5); Adam 2e-3, batch 128,
10 epochs, the epoch with the best validation accuracy is the one tested. Prints the test
accuracy of that epoch as "<cell>_test_accuracy <value>". bench/torch_bench.py reuses the
data and the model for `make bench` (charlm_gru_epoch).
"""
import argparse
import sys
import time

import torch

DICT = "/usr/share/dict"
FILES = ["american-english", "french", "ngerman", "spanish", "italian"]
LANGUAGES = ["english", "french", "german", "spanish", "italian"]
MASK64 = (1 << 64) - 1


class Mt19937_64:
    """std::mt19937_64, bit for bit (dl::Rng's engine)."""

    def __init__(self, seed):
        self.mt = [0] * 312
        self.mt[0] = seed & MASK64
        for i in range(1, 312):
            prev = self.mt[i - 1]
            self.mt[i] = (6364136223846793005 * (prev ^ (prev >> 62)) + i) & MASK64
        self.index = 312

    def _twist(self):
        mt = self.mt
        for i in range(312):
            x = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
            xa = x >> 1
            if x & 1:
                xa ^= 0xB5026F5AA96619E9
            mt[i] = mt[(i + 156) % 312] ^ xa
        self.index = 0

    def __call__(self):
        if self.index >= 312:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK64

    def below(self, n):  # dl::Rng::below: rejection sampling, no modulo bias
        limit = MASK64 - MASK64 % n
        r = self()
        while r >= limit:
            r = self()
        return r % n

    def permutation(self, n):  # dl::Rng::permutation: Fisher-Yates
        p = list(range(n))
        for i in range(n, 1, -1):
            j = self.below(i)
            p[i - 1], p[j] = p[j], p[i - 1]
        return p


def read_list(path):
    """Lowercased words of 3-20 letters, sorted and unique (datasets/words.cpp read_list)."""
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.rstrip("\n")
            if 3 <= len(w) <= 20 and all(c.isalpha() for c in w):
                low = "".join(c.lower() if len(c.lower()) == 1 else c for c in w)
                words.add(low)
    return sorted(words)


def load_word_languages(seed=0, per_language=20000):
    """(train, val, test) as lists of (word, label), and the training characters."""
    lists = [read_list(DICT + "/" + f) for f in FILES]
    count = {}
    for lst in lists:
        for w in lst:
            count[w] = count.get(w, 0) + 1
    rng = Mt19937_64(seed)
    all_words = []
    for lang, lst in enumerate(lists):
        unique = [w for w in lst if count[w] == 1]
        order = rng.permutation(len(unique))
        all_words += [(unique[order[k]], lang) for k in range(min(per_language, len(unique)))]
    order = rng.permutation(len(all_words))
    n = len(all_words)
    n_train, n_val = n * 8 // 10, n // 10
    shuffled = [all_words[i] for i in order]
    train, val, test = shuffled[:n_train], shuffled[n_train:n_train + n_val], shuffled[n_train + n_val:]
    chars = sorted({c for w, _ in train for c in w})
    return train, val, test, chars


def encode(words, chars, max_len=20):
    """Ids (N, max_len) padded with 0 (1: unknown character, 2...: chars), lengths, labels."""
    ids = {c: k + 2 for k, c in enumerate(chars)}
    X = torch.zeros(len(words), max_len, dtype=torch.long)
    lengths = torch.zeros(len(words), dtype=torch.long)
    y = torch.zeros(len(words), dtype=torch.long)
    for n, (w, lang) in enumerate(words):
        w = w[:max_len]
        X[n, :len(w)] = torch.tensor([ids.get(c, 1) for c in w])
        lengths[n] = max(len(w), 1)
        y[n] = lang
    return X, lengths, y


class CharReader(torch.nn.Module):
    """Embedding(V, E) -> GRU/LSTM(E -> H) -> the output at each word's last character -> Linear."""

    def __init__(self, vocab, cell="gru", emb=32, hidden=128, classes=5, packed=False):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, emb)
        self.rnn = {"gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[cell](emb, hidden)
        self.fc = torch.nn.Linear(hidden, classes)
        self.packed = packed

    def forward(self, X, lengths):
        T = int(lengths.max())
        x = self.emb(X[:, :T].t())  # (T, N, E): time-major, only as many steps as the longest word
        if self.packed:  # packed sequences: each step runs only the words still going
            p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
            _, h = self.rnn(p)
            last = (h[0] if isinstance(h, tuple) else h)[0]
        else:  # padded: the output at step L_n - 1 does not depend on the padding after it
            out, _ = self.rnn(x)
            last = out[lengths - 1, torch.arange(X.shape[0])]
        return self.fc(last)


def accuracy(net, X, lengths, y, batch=512):
    net.eval()
    hits = 0
    with torch.no_grad():
        for i in range(0, len(X), batch):
            hits += (net(X[i:i + batch], lengths[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    net.train()
    return hits / len(X)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cell", default="gru", choices=["gru", "lstm"])
    ap.add_argument("--seed", type=int, default=1, help="torch seed (initialisation, batch order)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--packed", action="store_true", help="packed sequences instead of padded + gather")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train, val, test, chars = load_word_languages()
    Xtr, Ltr, ytr = encode(train, chars)
    Xva, Lva, yva = encode(val, chars)
    Xte, Lte, yte = encode(test, chars)
    print("train %d / validation %d / test %d words, %d characters" % (len(train), len(val), len(test), len(chars)),
          file=sys.stderr)
    net = CharReader(len(chars) + 2, args.cell, packed=args.packed)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    best_val, best_test, best_epoch = -1.0, 0.0, 0
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(Xtr), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            loss_fn(net(Xtr[idx], Ltr[idx]), ytr[idx]).backward()
            opt.step()
        seconds = time.perf_counter() - start
        va, te = accuracy(net, Xva, Lva, yva), accuracy(net, Xte, Lte, yte)
        if va > best_val:
            best_val, best_test, best_epoch = va, te, epoch
        print("epoch %d: %.1f s, validation %.4f, test %.4f" % (epoch, seconds, va, te), file=sys.stderr)
    print("%s_best_epoch %d" % (args.cell, best_epoch))
    print("%s_val_accuracy %.4f" % (args.cell, best_val))
    print("%s_test_accuracy %.4f" % (args.cell, best_test))


if __name__ == "__main__":
    main()
