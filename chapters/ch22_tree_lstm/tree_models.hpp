#pragma once
// Chapter 22's tree models: the binary (N-ary, N = 2) Tree-LSTM ("tree") and the Child-Sum
// Tree-LSTM ("childsum") of Tai, Socher & Manning (2015), a label predicted at every node.
//
// Embedding of the leaves' words -> the cell over the tree, bottom-up (inner nodes have no
// word: TreeInputs::leaves_only) -> Linear(H -> 5) on every node's h -> softmax cross-entropy
// averaged over the labelled nodes of a mini-batch of trees (unlabelled nodes, e.g. those
// datasets::binarize makes, get no loss). The three layers sit in a Sequential only as a
// container, so model files and checkpoints are the baselines' (dl::save_model,
// dl::save_checkpoint); the forward and backward passes below call the layers themselves,
// since a Sequential passes tensors and the cells also need the trees.
#include "baselines.hpp"

namespace ch22 {

/// Hidden units of the tree models: the binary cell has H = s.hidden (32: 5H(E + 2H) + 5H
/// weights, about the BiLSTM's 2 x 4H(E + H) + 8H), the Child-Sum cell 3/2 of it (48), which
/// gives it about as many weights again (4H(E + H) + 4H), as Tai et al. matched their models'
/// sizes.
inline std::size_t tree_hidden(const std::string& kind, const Settings& s) {
  return kind == "tree" ? s.hidden : (3 * s.hidden + 1) / 2;
}

//! [tree_model]
/// Embedding(V, E) on the leaves -> BinaryTreeLSTM or ChildSumTreeLSTM (E -> H) -> Linear(H -> 5).
template <class T>
Sequential<T> tree_model(const std::string& kind, std::size_t vocab, std::size_t embed, std::size_t hidden, Rng& rng) {
  Sequential<T> net;
  net.add(Embedding<T>(vocab, embed, rng));
  if (kind == "tree") net.add(BinaryTreeLSTM<T>(embed, hidden, rng, TreeInputs::leaves_only));
  else net.add(ChildSumTreeLSTM<T>(embed, hidden, rng, TreeInputs::leaves_only));
  net.add(Linear<T>(hidden, K, rng));
  return net;
}
//! [tree_model]

/// A mini-batch of trees: the leaves' word ids (1, leaves) in node order, and every node's
/// label in node order (-1: no loss).
struct TreeMiniBatch {
  std::vector<const Tree*> trees;
  Tensor2<float> ids;
  std::vector<int> labels;
};

inline TreeMiniBatch tree_batch_of(const std::vector<const Tree*>& trees) {
  TreeMiniBatch b;
  b.trees = trees;
  std::size_t leaves = 0;
  for (const Tree* t : trees)
    for (const auto& n : t->nodes) leaves += n.children.empty(), b.labels.push_back(n.label);
  b.ids = Tensor2<float>::from_shape({1, leaves});
  std::size_t l = 0;
  for (const Tree* t : trees)
    for (const auto& n : t->nodes)
      if (n.children.empty()) b.ids(0, l++) = float(n.token);
  return b;
}

/// Forward (and, with `train`, backward) of the tree model on a batch: the scores of every
/// node (n, 5) in node order, the mean cross-entropy over the labelled nodes, and their
/// count. With train, the parameter gradients are accumulated.
template <class T>
struct TreeForward {
  Tensor2<T> scores;
  T loss = 0;
  std::size_t labelled = 0;
};

template <class T, class Cell>
TreeForward<T> tree_pass(Sequential<T>& net, const std::vector<const Tree*>& trees, const Tensor2<T>& ids,
                               const std::vector<int>& labels, bool train) {
  auto& emb = net.template layer<Embedding<T>>(0);
  auto& cell = net.template layer<Cell>(1);
  auto& out = net.template layer<Linear<T>>(2);
  typename Embedding<T>::Cache ce;
  typename Cell::Cache cc;
  typename Linear<T>::Cache cl;
  TreeForward<T> r;
  //! [tree_forward]
  const Tensor3<T> e = emb.forward(ids, ce);                                        // (leaves, 1, E)
  const Tensor2<T> x = xt::reshape_view(e, {e.shape(0), e.shape(2)});              // (leaves, E)
  const Tensor2<T> h = cell.forward(trees, x, cc);                                  // (n, H): every node
  r.scores = out.forward(h, cl);                                                    // (n, 5)
  //! [tree_forward]
  std::vector<std::size_t> rows;  // the labelled nodes
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= 0) rows.push_back(i);
  r.labelled = rows.size();
  if (rows.empty()) return r;
  Tensor2<T> z = Tensor2<T>::from_shape({rows.size(), K});
  Labels y = Labels::from_shape({rows.size()});
  for (std::size_t j = 0; j < rows.size(); ++j) {
    std::copy_n(r.scores.data() + rows[j] * K, K, z.data() + j * K);
    y(j) = labels[rows[j]];
  }
  SoftmaxCrossEntropy<T> loss;
  typename SoftmaxCrossEntropy<T>::Cache cs;
  r.loss = loss.forward(z, y, cs);
  if (!train) return r;
  //! [tree_backward]
  const Tensor2<T> dz = loss.backward(cs);                       // (labelled, 5)
  Tensor2<T> dscores = xt::zeros<T>({labels.size(), K});         // unlabelled nodes: no loss
  for (std::size_t j = 0; j < rows.size(); ++j) std::copy_n(dz.data() + j * K, K, dscores.data() + rows[j] * K);
  const Tensor2<T> dh = out.backward(dscores, cl);               // each node's own classifier's gradient
  const Tensor2<T> dx = cell.backward(dh, cc);                   // + what parents send, inside the cell
  emb.backward(Tensor3<T>(xt::reshape_view(dx, {dx.shape(0), std::size_t(1), dx.shape(1)})), ce);
  //! [tree_backward]
  return r;
}

/// `tree` as the binary model reads it (binarized if needed) and, for every node of `tree`,
/// the node of that binary tree that stands for the same phrase (an original node and its
/// single child share one; a node of many children is the top of its chain).
inline std::pair<Tree, std::vector<std::size_t>> binary_view(const Tree& tree) {
  std::vector<std::size_t> map(tree.size());
  if (datasets::is_binary(tree)) {
    std::iota(map.begin(), map.end(), std::size_t(0));
    return {tree, map};
  }
  Tree b = datasets::binarize(tree);
  const auto sb = datasets::leaf_spans(b), st = datasets::leaf_spans(tree);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> node_of;  // span -> highest node (post-order: last)
  for (std::size_t i = 0; i < b.size(); ++i) node_of[{sb[i].begin, sb[i].end}] = i;
  for (std::size_t i = 0; i < tree.size(); ++i) map[i] = node_of.at({st[i].begin, st[i].end});
  return {std::move(b), map};
}

/// Class probabilities at every node of `trees` (batches of 256 trees).
template <class Cell>
NodeProbs predict_tree_nodes(Sequential<float>& net, const std::vector<Tree>& trees, bool binary) {
  NodeProbs probs;
  for (std::size_t t0 = 0; t0 < trees.size(); t0 += 256) {
    const std::size_t t1 = std::min(trees.size(), t0 + 256);
    std::vector<Tree> views;
    std::vector<std::vector<std::size_t>> maps;
    for (std::size_t t = t0; t < t1; ++t) {
      if (binary) {
        auto [b, map] = binary_view(trees[t]);
        views.push_back(std::move(b)), maps.push_back(std::move(map));
      } else {
        views.push_back(trees[t]);
      }
    }
    std::vector<const Tree*> ptrs;
    for (const auto& v : views) ptrs.push_back(&v);
    const TreeMiniBatch b = tree_batch_of(ptrs);
    const auto f = tree_pass<float, Cell>(net, ptrs, b.ids, std::vector<int>(b.labels.size(), -1), false);
    const Tensor2<float> p = softmax_rows(f.scores);
    std::size_t row = 0;
    for (std::size_t j = 0; j < views.size(); ++j) {
      const Tree& orig = trees[t0 + j];
      Tensor2<float> pt = Tensor2<float>::from_shape({orig.size(), K});
      for (std::size_t i = 0; i < orig.size(); ++i)
        std::copy_n(p.data() + (row + (binary ? maps[j][i] : i)) * K, K, pt.data() + i * K);
      row += views[j].size();
      probs.push_back(std::move(pt));
    }
  }
  return probs;
}

template <class Cell>
ModelRun run_tree_cell(const std::string& kind, std::size_t vocab, const std::vector<Tree>& train,
                       const std::vector<Tree>& dev, const Settings& s, Rng& rng, const CheckpointOptions& ck,
                       const std::filesystem::path& model_file) {
  const std::size_t H = tree_hidden(kind, s);
  auto net = std::make_shared<Sequential<float>>(tree_model<float>(kind, vocab, s.embed, H, rng));
  net->layer<Embedding<float>>(0).input_grad = false;  // word ids get no gradient
  const bool binary = kind == "tree";
  std::vector<Tree> trees;  // the training trees as the model reads them
  std::size_t labelled = 0;
  for (const auto& t : train) {
    trees.push_back(binary ? binary_view(t).first : t);
    for (const auto& n : trees.back().nodes) labelled += n.label >= 0;
  }
  ModelRun run;
  run.name = kind;
  run.num_params = count_params(net->params());
  const nlohmann::json settings = {{"model", kind}, {"trees", trees.size()}, {"examples", labelled},
                                   {"batch_size", s.tree_batch_size}, {"hidden", H}, {"dev_trees", dev.size()}};
  //! [tree_batches]
  auto batches = [&](Rng& r) {  // mini-batches of whole trees, a fresh order every epoch
    const auto order = r.permutation(trees.size());
    std::vector<std::vector<std::size_t>> b;
    for (std::size_t i = 0; i < order.size(); i += s.tree_batch_size)
      b.emplace_back(order.begin() + std::ptrdiff_t(i),
                     order.begin() + std::ptrdiff_t(std::min(order.size(), i + s.tree_batch_size)));
    return b;
  };
  //! [tree_batches]
  auto step = [&](const std::vector<std::size_t>& rows, Rng&) {
    std::vector<const Tree*> ptrs;
    for (auto r : rows) ptrs.push_back(&trees[r]);
    const TreeMiniBatch b = tree_batch_of(ptrs);
    const auto f = tree_pass<float, Cell>(*net, ptrs, b.ids, b.labels, true);
    StepResult res{f.loss, 0, f.labelled};
    for (std::size_t i = 0; i < b.labels.size(); ++i)
      if (b.labels[i] >= 0) res.hits += predicted_class(f.scores, i) == b.labels[i];
    return res;
  };
  auto dev_root = [&] { return score(dev, predict_tree_nodes<Cell>(*net, dev, binary)).root; };
  run.history = train_batches(kind, *net, settings, labelled, batches, step, dev_root, s, rng, ck);
  run.seconds = run.history.seconds;
  save_model(model_file, *net, {{"chapter", "ch22_tree_lstm"}, {"model", kind}, {"vocabulary", vocab},
                                {"embed", s.embed}, {"hidden", H}});
  run.predict = [net, binary](const std::vector<Tree>& t) { return predict_tree_nodes<Cell>(*net, t, binary); };
  return run;
}

/// Train the Tree-LSTM `kind` ("tree": binary, "childsum": Child-Sum) on the training trees:
/// a loss at every labelled node, Adam, the gradient norm clipped at s.clip, s.epochs epochs
/// of mini-batches of s.tree_batch_size trees, checkpoints through `ck`; saved to `model_file`.
inline ModelRun run_tree_model(const std::string& kind, std::size_t vocab, const std::vector<Tree>& train,
                               const std::vector<Tree>& dev, const Settings& s, Rng& rng,
                               const CheckpointOptions& ck, const std::filesystem::path& model_file) {
  if (kind == "tree") return run_tree_cell<BinaryTreeLSTM<float>>(kind, vocab, train, dev, s, rng, ck, model_file);
  if (kind == "childsum") return run_tree_cell<ChildSumTreeLSTM<float>>(kind, vocab, train, dev, s, rng, ck, model_file);
  throw ValueError("run_tree_model: kind must be tree or childsum, got " + kind);
}

}  // namespace ch22
