#pragma once
// Chapter 18's long-range experiments: each cell trained on a stream of fresh batches of the
// adding problem or the copy task at a given length T, and the test figures it reaches.
#include <dlcore/dlcore.hpp>
#include <datasets/sequences.hpp>

namespace ch18 {

using namespace dl;

/// Standardisation of a sequence batch's inputs: feature d (the d-th pixel of a row) shifted
/// and scaled by its mean and standard deviation over every step of every training sequence,
/// x' = (x - mu_d) / sigma_d; the training set's figures are then applied to the other sets.
struct FeatureScaler {
  std::vector<double> mean, sd;
  static FeatureScaler fit(const Tensor3<float>& X) {
    const std::size_t rows = X.shape(0) * X.shape(1), D = X.shape(2);
    FeatureScaler s{std::vector<double>(D, 0.0), std::vector<double>(D, 0.0)};
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t d = 0; d < D; ++d) s.mean[d] += X.data()[r * D + d] / double(rows);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t d = 0; d < D; ++d) {
        const double e = X.data()[r * D + d] - s.mean[d];
        s.sd[d] += e * e / double(rows);
      }
    for (auto& v : s.sd) v = v > 1e-12 ? std::sqrt(v) : 1.0;  // a constant feature is only centred
    return s;
  }
  void apply(Tensor3<float>& X) const {
    const std::size_t D = mean.size();
    for (std::size_t k = 0; k < X.size(); ++k) X.data()[k] = float((X.data()[k] - mean[k % D]) / sd[k % D]);
  }
};

/// The recipe of every task run (the same for the three cells).
struct TaskSettings {
  std::size_t hidden = 64, batch = 64, steps = 1500, eval_every = 100, test_batches = 4;
  float lr = 1e-2f;
  double clip = 1.0;         // global gradient norm
  float forget_bias = 3.0f;  // the LSTM's; 0 keeps PyTorch's initialisation
  std::size_t symbols = 5, alphabet = 8;  // copy task
  bool progress = true;
};

/// One cell at one length: the test curve and the final test figure (MSE or accuracy).
struct TaskResult {
  CellKind cell;
  std::size_t T = 0;
  StreamHistory history;
  double final_test = 0;
};

// Train a fresh network on batches from `make` and test it on a fixed set drawn from `make`
// with its own generator (so every cell and length is tested on the same kind of data).
template <class YT, class Loss, class Make>
TaskResult run_task(Sequential<float> net, const Loss& loss, CellKind cell, std::size_t T, Make make,
                    const TaskSettings& s, std::uint64_t seed, const std::string& label) {
  Rng rng(seed), test_rng(seed + 1000);
  if (s.forget_bias != 0) set_forget_bias(net, s.forget_bias);
  std::vector<Dataset<Tensor3<float>, YT>> test;
  for (std::size_t b = 0; b < s.test_batches; ++b) test.push_back(make(test_rng));
  Adam<float> adam(s.lr);
  StreamOptions so;
  so.steps = s.steps;
  so.eval_every = s.eval_every;
  so.clip_norm = s.clip;
  so.progress = s.progress;
  so.label = label;
  TaskResult r{cell, T, {}, 0};
  r.history = fit_stream<float>(net, loss, adam, rng, std::function<Dataset<Tensor3<float>, YT>(Rng&)>(make),
                                test, so);
  const auto& last = r.history.tests.back();
  r.final_test = std::is_same_v<YT, Labels> ? last.test_accuracy : last.test_loss;
  fmt::print("{}: test {} {:.4f} after {} steps ({:.1f} s)\n", label,
             std::is_same_v<YT, Labels> ? "accuracy" : "MSE", r.final_test, s.steps, r.history.seconds);
  std::fflush(stdout);
  return r;
}

/// The adding problem at length T: the final test MSE (guessing the mean gives 0.167).
inline TaskResult adding(CellKind cell, std::size_t T, const TaskSettings& s, std::uint64_t seed) {
  Rng init(seed);
  auto make = [&](Rng& rng) { return datasets::adding_problem<float>(s.batch, T, rng); };
  return run_task<Tensor2<float>>(sequence_to_one<float>(cell, 2, s.hidden, 1, init), MSELoss<float>{},
                                  cell, T, make, s, seed, fmt::format("adding {} T={}", to_string(cell), T));
}

/// The copy task with delay T: the final accuracy of the recalled symbols (guessing: 1/K).
inline TaskResult copy(CellKind cell, std::size_t T, const TaskSettings& s, std::uint64_t seed) {
  Rng init(seed);
  auto make = [&](Rng& rng) { return datasets::copy_task<float>(s.batch, T, s.symbols, s.alphabet, rng); };
  return run_task<Labels>(sequence_to_steps<float>(cell, s.alphabet + 2, s.hidden, s.alphabet, s.symbols, init),
                          SoftmaxCrossEntropy<float>{}, cell, T, make, s, seed,
                          fmt::format("copy {} T={}", to_string(cell), T));
}

}  // namespace ch18
