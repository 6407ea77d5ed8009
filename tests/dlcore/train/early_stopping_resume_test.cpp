// Early stopping across a resume: with keep_in(), its counters, best value and best weights
// travel in the checkpoints, so a run stopped by a signal at any step and resumed stops at
// the same epoch and restores the same weights, bit for bit, as a run that never stopped.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>

#include "dlcore/core/interrupt.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/sgd.hpp"
#include "dlcore/train/early_stopping.hpp"
#include "support/scratch.hpp"

using namespace dl;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

using Data = Dataset<Tensor2<float>, Labels>;

// Two overlapping blobs: the validation loss soon stops improving.
Data blobs(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  Data d{Tensor2<float>::from_shape({n, 2}), Labels::from_shape({n})};
  for (std::size_t i = 0; i < n; ++i) {
    d.y(i) = std::int32_t(i % 2);
    d.X(i, 0) = float(rng.normal(d.y(i) ? 0.6 : -0.6, 1.0));
    d.X(i, 1) = float(rng.normal(0, 1.0));
  }
  return d;
}
const Data train_set = blobs(40, 1), val_set = blobs(200, 2);
constexpr int kEpochs = 30;

// One process of the run: network, optimizer and generator from the same seed.
struct Run {
  Rng rng{9};
  Sequential<float> net;
  SGD<float> opt{0.2f};
  EarlyStopping<float> early;
  History history;
  Run() : net(make()), early(net, Monitor::val_loss, 2) {}
  static Sequential<float> make() {
    Rng init(5);
    Sequential<float> n;
    n.add(Linear<float>(2, 16, init)).add(ReLU<float>{}).add(Linear<float>(16, 2, init));
    return n;
  }
  // Train, with checkpoints in `file` if it is not empty; `signal_at`: SIGTERM during that step.
  void train(const fs::path& file, bool resume, std::size_t signal_at = 0) {
    FitOptions o;
    o.epochs = kEpochs;
    o.batch_size = 8;  // 5 steps per epoch
    o.progress = false;
    o.on_epoch_end = early.hook();
    if (!file.empty()) {
      o.checkpoint = {file, 0, resume};
      early.keep_in(o.checkpoint);
    }
    if (signal_at) o.on_step = [signal_at](std::size_t step, double) {
      if (step == signal_at) std::raise(SIGTERM);
    };
    history = fit(net, SoftmaxCrossEntropy<float>{}, opt, train_set.X, train_set.y, rng, o, &val_set);
  }
  std::vector<float> values() {
    std::vector<float> v;
    for (const auto& p : net.params()) v.insert(v.end(), p.value, p.value + p.size());
    return v;
  }
};

}  // namespace

TEST_CASE("Early stopping resumed from any step stops and restores as a run that never stopped",
          "[early_stopping][checkpoint]") {
  Run ref;
  ref.train({}, false);
  REQUIRE(ref.early.stopped());  // the setting is meant to stop early...
  REQUIRE(ref.early.best_epoch() > 1);  // ...after some improvement
  const std::size_t steps = ref.history.step_loss.size();
  const std::vector<float> ref_last = ref.values();
  ref.early.restore_best();
  const std::vector<float> ref_best = ref.values();
  REQUIRE(ref_best != ref_last);

  const fs::path file = testing::scratch_dir("early_stopping", "resume") / "run.npz";
  for (std::size_t stop_at = 1; stop_at < steps; stop_at += 2) {
    INFO("SIGTERM during step " << stop_at << " of " << steps);
    fs::remove(file);
    {
      Run first;
      REQUIRE_THROWS_AS(first.train(file, false, stop_at), Interrupted);
    }
    Run resumed;  // a new process: a fresh EarlyStopping, filled from the checkpoint
    resumed.train(file, true);
    CHECK(resumed.history.epochs.size() == ref.history.epochs.size());
    CHECK(resumed.history.step_loss == ref.history.step_loss);
    CHECK(resumed.early.stopped_epoch() == ref.early.stopped_epoch());
    CHECK(resumed.early.best_epoch() == ref.early.best_epoch());
    CHECK(resumed.early.best_value() == ref.early.best_value());
    CHECK(resumed.early.epochs_without_improvement() == ref.early.epochs_without_improvement());
    CHECK(resumed.values() == ref_last);
    resumed.early.restore_best();
    CHECK(resumed.values() == ref_best);  // bit-identical best weights
  }
  // resumed once more after it stopped: nothing to train, and the best weights are there
  Run again;
  again.train(file, true);
  CHECK(again.history.step_loss.size() == steps);
  again.early.restore_best();
  CHECK(again.values() == ref_best);
}

TEST_CASE("Resuming with other early-stopping settings, or without its state, names the file",
          "[early_stopping][checkpoint][errors]") {
  const fs::path file = testing::scratch_dir("early_stopping", "mismatch") / "run.npz";
  {
    Run first;
    REQUIRE_THROWS_AS(first.train(file, false, 7), Interrupted);
  }
  {
    Rng rng(9);
    Sequential<float> net = Run::make();
    SGD<float> opt(0.2f);
    EarlyStopping<float> patient(net, Monitor::val_loss, 3);  // patience 3, not 2
    FitOptions o;
    o.batch_size = 8;
    o.progress = false;
    o.on_epoch_end = patient.hook();
    o.checkpoint = {file, 0, true};
    patient.keep_in(o.checkpoint);
    REQUIRE_THROWS_AS(fit(net, SoftmaxCrossEntropy<float>{}, opt, train_set.X, train_set.y, rng, o, &val_set),
                      ValueError);
    REQUIRE_THROWS_WITH(fit(net, SoftmaxCrossEntropy<float>{}, opt, train_set.X, train_set.y, rng, o, &val_set),
                        Contains("run.npz") && Contains("patience"));
  }
  // a checkpoint of a run without early stopping
  const fs::path plain = testing::scratch_dir("early_stopping", "plain") / "run.npz";
  Rng rng(9);
  Sequential<float> net = Run::make();
  SGD<float> opt(0.2f);
  FitOptions o;
  o.epochs = 1;
  o.batch_size = 8;
  o.progress = false;
  o.checkpoint = {plain};
  fit(net, SoftmaxCrossEntropy<float>{}, opt, train_set.X, train_set.y, rng, o, &val_set);
  Run resumed;
  REQUIRE_THROWS_WITH(resumed.train(plain, true), Contains("run.npz") && Contains("early-stopping state"));
}
