#pragma once
// treelstm_epoch / treelstm_infer of `make bench`: Chapter 22's binary Tree-LSTM on a treebank
// of SST's shape. The trees are random bracketings rather than the chapter's grammar (speed
// depends on the shapes, not the words); they are made here from a seed, and
// bench/treelstm_torch.py makes the same ones (it replays dl::Rng): 8,000 sentences of 5-40 words (uniform), each a random binary bracketing (the
// split point of every span uniform), token ids uniform over a vocabulary of 5,000, a class in
// 0..4 on every node. Model: Embedding(5000, 100) on the leaves, BinaryTreeLSTM(100 -> 150),
// Linear(150 -> 5) on every node's h, softmax cross-entropy averaged over the nodes of the
// batch; Adam 1e-3, batch 25 trees, a fresh permutation every epoch.

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <dlcore/dlcore.hpp>

namespace treelstm_bench {

using namespace dl;

constexpr std::size_t kTrees = 8000, kVocab = 5000, kEmbed = 100, kHidden = 150, kClasses = 5,
                      kBatch = 25, kMinWords = 5, kMaxWords = 40;

// A random binary bracketing of `words` leaves, appended to `tree` in post-order; returns
// the root's index. Draw order (replayed by treelstm_torch.py): a leaf draws its token, then its
// label; a span of more words draws its split, builds left then right, then draws its label.
inline std::size_t grow(Tree& tree, std::size_t words, Rng& rng) {
  Tree::Node node;
  if (words == 1) {
    node.token = int(rng.below(kVocab));
  } else {
    const std::size_t left = 1 + rng.below(words - 1);
    const std::size_t l = grow(tree, left, rng);
    const std::size_t r = grow(tree, words - left, rng);
    node.children = {l, r};
  }
  node.label = int(rng.below(kClasses));
  tree.nodes.push_back(node);
  return tree.nodes.size() - 1;
}

inline std::vector<Tree> make_treebank(std::uint64_t seed = 13) {
  Rng rng(seed);
  std::vector<Tree> trees(kTrees);
  for (auto& t : trees) grow(t, kMinWords + rng.below(kMaxWords - kMinWords + 1), rng);
  return trees;
}

struct Model {
  Embedding<float> emb;
  BinaryTreeLSTM<float> cell;
  Linear<float> out;
  std::vector<ParamRef<float>> params;
  explicit Model(Rng& rng)
      : emb(kVocab, kEmbed, rng), cell(kEmbed, kHidden, rng), out(kHidden, kClasses, rng) {
    auto add = [&](const std::string& prefix, std::vector<ParamRef<float>> ps) {
      for (auto& p : ps) {
        p.name = prefix + p.name;
        params.push_back(p);
      }
    };
    add("emb.", emb.params());
    add("cell.", cell.params());
    add("out.", out.params());
  }
};

// One batch: ids of the leaves (1, leaves) and labels of every node, in node order.
struct Batch {
  std::vector<const Tree*> trees;
  Tensor2<float> ids;
  Labels y;
};

inline void make_batch(const std::vector<Tree>& bank, const std::vector<std::size_t>& order,
                       std::size_t begin, std::size_t end, Batch& b) {
  b.trees.clear();
  std::size_t leaves = 0, nodes = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const Tree& t = bank[order[i]];
    b.trees.push_back(&t);
    nodes += t.size();
    for (const auto& n : t.nodes) leaves += n.children.empty();
  }
  b.ids.resize({1, leaves});
  b.y.resize({nodes});
  std::size_t l = 0, r = 0;
  for (const Tree* t : b.trees)
    for (const auto& n : t->nodes) {
      if (n.children.empty()) b.ids(0, l++) = float(n.token);
      b.y(r++) = n.label;
    }
}

// Seconds of one pass over the treebank: training (forward, backward, Adam) or inference.
inline double epoch(Model& m, Adam<float>& opt, const std::vector<Tree>& bank, Rng& rng, bool train) {
  std::vector<std::size_t> order(bank.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (train) order = rng.permutation(bank.size());
  Batch b;
  Embedding<float>::Cache ce;
  BinaryTreeLSTM<float>::Cache ct;
  Linear<float>::Cache cl;
  SoftmaxCrossEntropy<float> loss;
  SoftmaxCrossEntropy<float>::Cache cs;
  Stopwatch sw;
  for (std::size_t i = 0; i < bank.size(); i += kBatch) {
    make_batch(bank, order, i, std::min(i + kBatch, bank.size()), b);
    const Tensor3<float> e = m.emb.forward(b.ids, ce);  // (leaves, 1, E)
    const Tensor2<float> x = xt::reshape_view(e, {e.shape(0), kEmbed});
    const Tensor2<float> h = m.cell.forward(b.trees, x, ct);  // every node's h
    const Tensor2<float> z = m.out.forward(h, cl);
    loss.forward(z, b.y, cs);
    if (!train) continue;
    zero_grad(m.params);
    const Tensor2<float> dh = m.out.backward(loss.backward(cs), cl);
    const Tensor2<float> dx = m.cell.backward(dh, ct);
    m.emb.backward(Tensor3<float>(xt::reshape_view(dx, {dx.shape(0), std::size_t(1), kEmbed})), ce);
    opt.step(m.params);
  }
  return sw.seconds();
}

// Median seconds per pass over the treebank after one warm-up pass; `train`: forward,
// backward and Adam; otherwise forward and loss only (inference). Trees per second to stderr.
inline double epochs(int n, bool train) {
  const std::vector<Tree> bank = make_treebank();
  set_parallel_threads(num_threads());  // the layer splits each batch's trees over the threads,
  set_num_threads(1);                   // every GEMM single-threaded inside
  Rng rng(1);
  Model m(rng);
  Adam<float> opt(1e-3f);
  std::vector<double> times, cpu;  // wall-clock and processor seconds (all threads)
  for (int e = 0; e <= n; ++e) {  // epoch 0 warms up
    const std::clock_t c0 = std::clock();
    const double s = epoch(m, opt, bank, rng, train);
    if (e > 0) times.push_back(s), cpu.push_back(double(std::clock() - c0) / CLOCKS_PER_SEC);
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  const double s = times[times.size() / 2];
  std::size_t nodes = 0;
  for (const auto& t : bank) nodes += t.size();
  std::fprintf(stderr, "%s: %zu trees (%zu nodes), %.1f ms per pass, %.0f trees/s, %.2f s of processor time\n",
               train ? "treelstm_epoch (training)" : "treelstm_infer (inference)", bank.size(),
               nodes, 1e3 * s, double(bank.size()) / s, cpu[cpu.size() / 2]);
  return s;
}

}  // namespace treelstm_bench
