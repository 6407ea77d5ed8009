#pragma once
// Chapter 8's experiment: one over-fitting MLP trained plain and with each regularizer, and
// the plots that compare them.
#include <optional>
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>

namespace ch08 {

using Data = dl::Dataset<dl::Tensor2<float>, dl::Labels>;

/// One way of training the same model. Zero means "off".
struct Method {
  std::string name;   ///< key prefix in metrics.json: plain, l2, l1, dropout, early_stopping
  float l2 = 0;       ///< lambda of (lambda/2)||W||^2
  float l1 = 0;       ///< lambda of lambda ||W||_1
  float dropout = 0;  ///< drop probability after the hidden ReLU
  float input_dropout = 0;  ///< drop probability of the input pixels
  int patience = 0;   ///< early stopping after this many epochs without a better...
  dl::Monitor monitor = dl::Monitor::val_accuracy;  ///< ...validation figure
};

struct Result {
  dl::History history;
  dl::Sequential<float> net;
  double best_val_accuracy = 0, test_accuracy = 0, test_loss = 0;
  int best_epoch = 0, stopped_epoch = 0;
};

/// [Dropout ->] 784 -> hidden ReLU [-> Dropout] -> 10, the weights drawn from a generator
/// seeded with `seed`: every method starts from the same weights.
//! [model]
inline dl::Sequential<float> mlp(std::size_t hidden, float input_dropout, float dropout, std::uint64_t seed) {
  dl::Rng rng(seed);
  dl::Sequential<float> net;
  if (input_dropout > 0) net.add(dl::Dropout<float>(input_dropout));  // drop pixels
  net.add(dl::Linear<float>(784, hidden, rng)).add(dl::ReLU<float>{});
  if (dropout > 0) net.add(dl::Dropout<float>(dropout));  // only active in Mode::train
  net.add(dl::Linear<float>(hidden, 10, rng));
  return net;
}
//! [model]

/// Train with Adam for `epochs` (fewer if early stopping stops), then measure the kept
/// model on the test set: the last epoch's, or the best epoch's for early stopping.
/// The weights come from `seed`, the shuffling and dropout masks from seed + 1.
inline Result train(const Method& m, const Data& train_set, const Data& val, const Data& test,
                    std::size_t hidden, float lr, int epochs, std::uint64_t seed) {
  Result r;
  r.net = mlp(hidden, m.input_dropout, m.dropout, seed);
  dl::Rng rng(seed + 1);  // shuffling and dropout masks
  dl::Adam<float> adam(lr);
  dl::FitOptions fo;
  fo.epochs = epochs;
  fo.batch_size = 128;
  fo.progress = false;
  //! [hooks]
  const auto params = r.net.params();  // biases have decay = false: not penalised
  if (m.l2 > 0) fo.before_step = [&] { dl::add_l2_grad(params, m.l2); };  // grad += lambda W
  if (m.l1 > 0) fo.before_step = [&] { dl::add_l1_grad(params, m.l1); };  // grad += lambda sign(W)
  std::optional<dl::EarlyStopping<float>> early;
  if (m.patience > 0) {
    early.emplace(r.net, m.monitor, m.patience);
    fo.on_epoch_end = early->hook();  // false after `patience` epochs without a new best
  }
  r.history = dl::fit(r.net, dl::SoftmaxCrossEntropy<float>{}, adam, train_set.X, train_set.y,
                      rng, fo, &val);
  if (early) early->restore_best();  // keep the weights of the best validation epoch
  //! [hooks]
  for (const auto& e : r.history.epochs)
    if (e.val_accuracy > r.best_val_accuracy) r.best_val_accuracy = e.val_accuracy, r.best_epoch = e.epoch;
  if (early) r.stopped_epoch = early->stopped_epoch();
  const auto ev = dl::evaluate(r.net, dl::SoftmaxCrossEntropy<float>{}, test.X, test.y);
  r.test_accuracy = ev.accuracy;
  r.test_loss = ev.loss;
  return r;
}

/// Train and validation accuracy (and loss) after `epochs` for each hidden width: the
/// capacity curve. Columns of the CSV: width, train/validation accuracy and loss.
inline void capacity_curve(const std::filesystem::path& dir, const std::vector<std::size_t>& widths,
                           const Data& train_set, const Data& val, float lr, int epochs,
                           std::uint64_t seed, nlohmann::json& metrics) {
  std::vector<double> w, tr_acc, va_acc, tr_loss, va_loss;
  dl::Progress bar(widths.size(), "capacity");
  for (std::size_t i = 0; i < widths.size(); ++i) {
    Result r = train(Method{"plain"}, train_set, val, val, widths[i], lr, epochs, seed);
    const auto tr = dl::evaluate(r.net, dl::SoftmaxCrossEntropy<float>{}, train_set.X, train_set.y);
    w.push_back(double(widths[i]));
    tr_acc.push_back(tr.accuracy);
    tr_loss.push_back(tr.loss);
    va_acc.push_back(r.history.epochs.back().val_accuracy);
    va_loss.push_back(r.history.epochs.back().val_loss);
    bar.update(i + 1);
  }
  bar.finish("");
  dl::plot::Figure("Capacity: accuracy after " + std::to_string(epochs) + " epochs vs hidden width",
                   "hidden units (log scale)", "accuracy")
      .linespoints("train", w, tr_acc).linespoints("validation", w, va_acc)
      .log_x().key("bottom right").save(dir / "capacity_accuracy.svg");
  dl::plot::Figure("Capacity: loss after " + std::to_string(epochs) + " epochs vs hidden width",
                   "hidden units (log scale)", "cross-entropy")
      .linespoints("train", w, tr_loss).linespoints("validation", w, va_loss)
      .log_x().log_y().key("top right").save(dir / "capacity_loss.svg");
  metrics["capacity_smallest_train_accuracy"] = tr_acc.front();
  metrics["capacity_largest_train_accuracy"] = tr_acc.back();
  metrics["capacity_smallest_val_accuracy"] = va_acc.front();
  metrics["capacity_largest_val_accuracy"] = va_acc.back();
}

/// The first Linear layer of a network (after an input Dropout, if any).
inline dl::Linear<float>& first_linear(dl::Sequential<float>& net) {
  return net.layer<dl::Linear<float>>(net.module(0).describe().rfind("Dropout", 0) == 0 ? 1 : 0);
}

/// Histograms of the first layer's weights, one curve per method.
inline void plot_weight_histograms(const std::filesystem::path& svg,
                                   const std::vector<std::pair<std::string, dl::Sequential<float>*>>& nets) {
  dl::plot::Figure fig("First-layer weights after training", "weight value", "density (log scale)");
  for (const auto& [name, net] : nets) {
    const auto& W = first_linear(*net).W;
    const dl::Histogram h = dl::histogram(W.data(), W.size(), -0.2, 0.2, 81);
    std::vector<double> d = h.density;
    for (auto& v : d) v = std::max(v, 1e-3);  // empty bins at the floor of the log axis
    fig.line(name, h.centers, d, "lw 2");
  }
  fig.log_y().key("top right").save(svg);
}

}  // namespace ch08
