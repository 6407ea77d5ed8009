#pragma once
// Chapter 22's two baselines that read a phrase as a sequence of words, and what every model
// shares: the phrases of the trees, class probabilities at every node, training with
// checkpoints, and the scores (root fine-grained and binary, all nodes, by depth and by
// negations).
//
// A node's phrase is the span of leaves under it. The sequential models are trained on the
// phrases of every labelled node of the training trees, each phrase a sequence of its own
// (the same supervision as the Tree-LSTMs' loss at every node), and a node's prediction is
// the model run on the node's phrase alone: the root's is the model on the whole sentence.
// Nothing outside a phrase reaches its prediction, for a tree model or a sequential one.
#include <datasets/treebank.hpp>
#include <dlcore/dlcore.hpp>

namespace ch22 {

using namespace dl;

inline constexpr std::size_t K = 5;  // classes 0..4

struct Settings {
  std::size_t embed = 32;   // word vector size, the same for every model
  std::size_t hidden = 32;  // BiLSTM: units per direction; bag of words: 2 x this in its hidden layer;
                           // binary Tree-LSTM: this, Child-Sum: 3/2 of it (tree_hidden)
  std::size_t batch_size = 64;       // phrases per mini-batch (BiLSTM, bag of words)
  std::size_t tree_batch_size = 25;  // trees per mini-batch (Tree-LSTMs; Tai et al.'s 25)
  float lr = 2e-3f;
  double clip = 5.0;  // global gradient norm limit
  int epochs = 6;
  bool progress = true;
};

/// Class probabilities of every node: probs[t] is (nodes of tree t, K), rows in node order.
using NodeProbs = std::vector<Tensor2<float>>;

/// The phrase of every node as a sequence of word ids: X (N, T_max), the node's label,
/// and where it comes from.
struct Phrases {
  Tensor2<float> X;
  Labels y;
  Lengths lengths;
  std::vector<std::size_t> tree, node;
  std::size_t size() const { return y.size(); }
};

/// Every node's phrase (labelled_only: only nodes with a label 0..4). Leaves need tokens.
inline Phrases phrases_of(const std::vector<Tree>& trees, bool labelled_only) {
  Phrases p;
  std::vector<std::vector<float>> ids;
  std::vector<std::int32_t> labels;
  std::size_t width = 1;
  for (std::size_t t = 0; t < trees.size(); ++t) {
    const Tree& tree = trees[t];
    std::vector<float> leaf_ids;
    for (const auto& n : tree.nodes)
      if (n.children.empty()) leaf_ids.push_back(float(n.token));
    const auto spans = datasets::leaf_spans(tree);
    for (std::size_t i = 0; i < tree.size(); ++i) {
      if (labelled_only && tree.nodes[i].label < 0) continue;
      ids.emplace_back(leaf_ids.begin() + std::ptrdiff_t(spans[i].begin), leaf_ids.begin() + std::ptrdiff_t(spans[i].end));
      labels.push_back(std::max(tree.nodes[i].label, 0));
      p.lengths.push_back(spans[i].end - spans[i].begin);
      p.tree.push_back(t);
      p.node.push_back(i);
      width = std::max(width, p.lengths.back());
    }
  }
  p.X = xt::zeros<float>({ids.size(), width});
  p.y = Labels::from_shape({labels.size()});
  for (std::size_t n = 0; n < ids.size(); ++n) {
    std::copy(ids[n].begin(), ids[n].end(), p.X.data() + n * width);
    p.y(n) = labels[n];
  }
  return p;
}

//! [baselines]
/// Bag of words: the mean of the phrase's word vectors, then a hidden layer. Word order
/// and structure are invisible to it.
inline Sequential<float> bow_model(std::size_t vocab, const Settings& s, Rng& rng) {
  Sequential<float> net;
  net.add(Embedding<float>(vocab, s.embed, rng))       // ids (N, T) -> (T, N, E)
      .add(MeanSteps<float>())                         // -> (N, E): the mean over the phrase
      .add(Linear<float>(s.embed, 2 * s.hidden, rng))  // -> (N, 2H)
      .add(Tanh<float>())
      .add(Linear<float>(2 * s.hidden, K, rng));       // -> scores (N, 5)
  return net;
}

/// BiLSTM over the phrase's words, its states averaged over the phrase: word order is seen,
/// structure only as far as the order reveals it.
inline Sequential<float> bilstm_model(std::size_t vocab, const Settings& s, Rng& rng) {
  Sequential<float> net;
  net.add(Embedding<float>(vocab, s.embed, rng))  // ids (N, T) -> (T, N, E)
      .add(BiLSTM<float>(s.embed, s.hidden, rng))  // -> (T, N, 2H)
      .add(MeanSteps<float>())                    // -> (N, 2H)
      .add(Linear<float>(2 * s.hidden, K, rng));  // -> scores (N, 5)
  return net;
}
//! [baselines]

/// A batch: some phrases, cut to the longest of them.
struct Batch {
  Tensor2<float> ids;
  Labels y;
  Lengths lengths;
};

inline Batch gather(const Phrases& d, const std::vector<std::size_t>& rows) {
  Batch b;
  std::size_t T = 1;
  for (auto r : rows) T = std::max(T, d.lengths[r]);
  const std::size_t W = d.X.shape(1);
  b.ids = xt::zeros<float>({rows.size(), T});
  b.y = Labels::from_shape({rows.size()});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy_n(d.X.data() + rows[i] * W, T, b.ids.data() + i * T);
    b.y(i) = d.y(rows[i]);
    b.lengths.push_back(d.lengths[rows[i]]);
  }
  return b;
}

/// Class probabilities at every node of `trees`: the model run on each node's phrase.
inline NodeProbs predict_nodes(Sequential<float>& net, const std::vector<Tree>& trees) {
  const Phrases p = phrases_of(trees, false);
  NodeProbs probs;
  for (const auto& t : trees) probs.push_back(xt::zeros<float>({t.size(), K}));
  for (const auto& rows : length_batches(p.lengths, 512, nullptr)) {
    const Batch b = gather(p, rows);
    const Tensor2<float> pr = softmax_rows(net.forward2(b.ids, Context{Mode::eval, nullptr, &b.lengths}));
    for (std::size_t i = 0; i < rows.size(); ++i)
      std::copy_n(pr.data() + i * K, K, probs[p.tree[rows[i]]].data() + p.node[rows[i]] * K);
  }
  return probs;
}

/// What the chapter measures of a model's node probabilities on some trees.
struct Scores {
  double root = 0, root_binary = 0, nodes = 0;  // accuracies
  std::size_t roots = 0, binary_roots = 0, labelled_nodes = 0;
  // root accuracy per tree depth and per number of negation words: {hits, trees}
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> by_depth, by_negations;
};

/// The predicted class of a node: the most probable one.
inline int predicted_class(const Tensor2<float>& p, std::size_t node) {
  int best = 0;
  for (std::size_t k = 1; k < K; ++k)
    if (p(node, k) > p(node, std::size_t(best))) best = int(k);
  return best;
}

/// Fine-grained: the most probable of the 5 classes is the label. Binary (as Tai et al.):
/// only trees whose root is not neutral (2), positive predicted when p(3) + p(4) > p(0) + p(1).
/// All nodes: every labelled node, fine-grained.
inline Scores score(const std::vector<Tree>& trees, const NodeProbs& probs) {
  Scores s;
  std::size_t hits = 0, bin_hits = 0, node_hits = 0;
  for (std::size_t t = 0; t < trees.size(); ++t) {
    const Tree& tree = trees[t];
    const Tensor2<float>& p = probs[t];
    for (std::size_t i = 0; i < tree.size(); ++i) {
      if (tree.nodes[i].label < 0) continue;
      ++s.labelled_nodes;
      node_hits += predicted_class(p, i) == tree.nodes[i].label;
    }
    const std::size_t r = tree.root();
    const int gold = tree.nodes[r].label;
    if (gold < 0) continue;
    const bool hit = predicted_class(p, r) == gold;
    ++s.roots;
    hits += hit;
    auto& d = s.by_depth[datasets::tree_depth(tree)];
    d.first += hit, ++d.second;
    auto& g = s.by_negations[datasets::count_negations(tree)];
    g.first += hit, ++g.second;
    if (gold != 2) {
      ++s.binary_roots;
      bin_hits += ((p(r, 3) + p(r, 4)) > (p(r, 0) + p(r, 1))) == (gold > 2);
    }
  }
  s.root = s.roots ? double(hits) / double(s.roots) : 0;
  s.root_binary = s.binary_roots ? double(bin_hits) / double(s.binary_roots) : 0;
  s.nodes = s.labelled_nodes ? double(node_hits) / double(s.labelled_nodes) : 0;
  return s;
}

/// One model's run: per-epoch figures (History: train loss and phrase accuracy, dev root
/// accuracy as val_accuracy), and a predictor of node probabilities for any trees.
struct ModelRun {
  std::string name;  // tree, childsum, bilstm, bow
  History history;
  std::size_t num_params = 0;
  double seconds = 0;
  std::function<NodeProbs(const std::vector<Tree>&)> predict;
};

/// What one training step did on its batch: the mean loss, the correct predictions and the
/// examples (labelled nodes or phrases) it saw.
struct StepResult {
  float loss = 0;
  std::size_t hits = 0, count = 0;
};

/// The training loop every ch22 model shares: Adam, `batches` drawn from rng at the start of
/// every epoch, `step` (forward and backward of one batch into zeroed gradients), the gradient
/// norm clipped at s.clip, and after each epoch `dev_root_accuracy`. Checkpoints as fit()
/// writes them (OUT/checkpoints/NAME.npz, at every epoch's end, every ck.every steps, and on
/// SIGINT/SIGTERM, which then stops with dl::Interrupted); resumed from one with ck.resume,
/// the run ends with the parameters of a run that never stopped (the epoch's batches are
/// drawn again from the generator's state saved before them).
inline History train_batches(const std::string& name, Sequential<float>& net, const nlohmann::json& settings,
                             std::size_t examples,
                             const std::function<std::vector<std::vector<std::size_t>>(Rng&)>& batches_of,
                             const std::function<StepResult(const std::vector<std::size_t>&, Rng&)>& step,
                             const std::function<double()>& dev_root_accuracy, const Settings& s, Rng& rng,
                             const CheckpointOptions& ck) {
  Stopwatch clock;
  auto params = net.params();
  Adam<float> opt(s.lr);
  std::optional<InterruptGuard> guard;
  if (!ck.file.empty()) guard.emplace();
  FitState st;
  double seconds_before = 0;
  if (!ck.file.empty() && ck.resume) {
    for (const auto& t : remove_stale_temporaries(ck.file))
      fmt::print("removed {}, half-written by a run that was killed\n", t.string());
    if (std::filesystem::exists(ck.file)) {
      st = load_checkpoint(ck.file, net, opt, settings);
      rng.restore(st.rng_state);
      seconds_before = st.history.seconds;
      fmt::print("resuming from {} at epoch {}, step {}\n", ck.file.string(), st.epoch, st.global_step);
    } else {
      fmt::print("no checkpoint {} yet: starting from the beginning\n", ck.file.string());
    }
  }
  auto save = [&] {
    if (ck.file.empty()) return;
    st.rng_state = rng.state();
    st.lr = double(opt.lr);
    st.history.seconds = seconds_before + clock.seconds();
    save_checkpoint(ck.file, net, opt, st, settings);
  };
  auto stop_if_interrupted = [&] {
    if (const int sig = interrupt_signal()) {
      clear_interrupt();
      throw Interrupted(sig, fmt::format("{}: stopped by {} at epoch {} step {}; checkpoint saved in {}", name,
                                         signal_name(sig), st.epoch, st.batch, ck.file.string()));
    }
  };
  while (st.epoch <= s.epochs) {
    Stopwatch epoch_clock;
    if (st.batch == 0) st.order_rng_state = rng.state();
    const std::string now = rng.state();
    rng.restore(st.order_rng_state);  // a resumed epoch draws the same batches again
    const auto batches = batches_of(rng);
    if (st.batch > 0) rng.restore(now);
    Progress bar(batches.size(), fmt::format("{} epoch {}/{}", name, st.epoch, s.epochs), s.progress);
    std::size_t seen = 0;  // examples of this epoch in this process (the progress bar's mean)
    double shown = 0;
    for (std::size_t k = st.batch; k < batches.size(); ++k) {
      net.zero_grad();
      const StepResult r = step(batches[k], rng);
      if (!std::isfinite(r.loss))
        throw DivergenceError(fmt::format("{}: the loss is {} at epoch {}", name, r.loss, st.epoch));
      clip_grad_norm(params, s.clip);
      opt.step(params);
      st.hits += r.hits;
      st.loss_sum += double(r.loss) * double(r.count);
      seen += r.count, shown += double(r.loss) * double(r.count);
      st.history.step_loss.push_back(double(r.loss));
      ++st.global_step;
      st.batch = k + 1;
      bar.update(k + 1, fmt::format("loss {:.4f}", shown / double(std::max<std::size_t>(seen, 1))));
      if (!ck.file.empty() && st.batch < batches.size() &&
          (interrupt_signal() || (ck.every > 0 && st.global_step % ck.every == 0))) {
        save();
        stop_if_interrupted();
      }
    }
    EpochRecord rec;
    rec.epoch = st.epoch;
    rec.lr = double(opt.lr);
    rec.train_loss = st.loss_sum / double(examples);
    rec.train_accuracy = double(st.hits) / double(examples);
    rec.val_accuracy = dev_root_accuracy();
    rec.seconds = epoch_clock.seconds();
    bar.finish(fmt::format("loss {:.4f} node acc {:.4f} | dev root acc {:.4f}", rec.train_loss, rec.train_accuracy,
                           rec.val_accuracy));
    st.history.epochs.push_back(rec);
    ++st.epoch;
    st.batch = 0, st.loss_sum = 0, st.hits = 0;
    save();
    stop_if_interrupted();
  }
  st.history.seconds = seconds_before + clock.seconds();
  return st.history;
}

/// The sequential baselines' training: length-bucketed batches of training phrases through
/// train_batches.
inline History train_phrases(const std::string& name, Sequential<float>& net, const Phrases& train,
                             const std::vector<Tree>& dev, const Settings& s, Rng& rng,
                             const CheckpointOptions& ck) {
  SoftmaxCrossEntropy<float> ce;
  SoftmaxCrossEntropy<float>::Cache cache;
  const nlohmann::json settings = {{"model", name}, {"examples", train.size()}, {"batch_size", s.batch_size},
                                   {"dev_trees", dev.size()}};
  auto batches = [&](Rng& r) { return length_batches(train.lengths, s.batch_size, &r); };
  auto step = [&](const std::vector<std::size_t>& rows, Rng& r) {
    const Batch b = gather(train, rows);
    //! [phrase_step]
    const Tensor2<float> out = net.forward2(b.ids, Context{Mode::train, &r, &b.lengths});
    const float l = ce.forward(out, b.y, cache);
    net.backward(ce.backward(cache));
    //! [phrase_step]
    StepResult res{l, 0, b.y.size()};
    const Labels pred = argmax_rows(out);
    for (std::size_t i = 0; i < pred.size(); ++i) res.hits += pred(i) == b.y(i);
    return res;
  };
  auto dev_root = [&] { return score(dev, predict_nodes(net, dev)).root; };
  return train_batches(name, net, settings, train.size(), batches, step, dev_root, s, rng, ck);
}

/// Train a sequential baseline ("bow" or "bilstm"), save it as a model file (dl::save_model)
/// and keep it as a ModelRun (the network lives in the returned predictor).
inline ModelRun run_sequential(const std::string& name, std::size_t vocab, const std::vector<Tree>& train,
                               const std::vector<Tree>& dev, const Settings& s, Rng& rng, const CheckpointOptions& ck,
                               const std::filesystem::path& model_file) {
  auto net = std::make_shared<Sequential<float>>(name == "bow" ? bow_model(vocab, s, rng) : bilstm_model(vocab, s, rng));
  ModelRun run;
  run.name = name;
  run.num_params = count_params(net->params());
  const Phrases phrases = phrases_of(train, true);
  run.history = train_phrases(name, *net, phrases, dev, s, rng, ck);
  run.seconds = run.history.seconds;
  save_model(model_file, *net, {{"chapter", "ch22_tree_lstm"}, {"model", name}, {"vocabulary", vocab},
                                {"embed", s.embed}, {"hidden", s.hidden}});
  run.predict = [net](const std::vector<Tree>& trees) { return predict_nodes(*net, trees); };
  return run;
}

}  // namespace ch22
