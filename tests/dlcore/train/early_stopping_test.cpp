#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/sgd.hpp"
#include "dlcore/train/early_stopping.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
// One watched tensor w; `values` fed one per epoch, w set to the epoch number first.
struct Run {
  Tensor1<double> w = {0, 0}, g = {0, 0};
  std::vector<ParamRef<double>> tensors() { return {param_ref<double>("w", w, g)}; }
};
// Feeds the values until the rule says stop; returns the number of epochs run.
int feed(EarlyStopping<double>& early, Run& run, const std::vector<double>& values) {
  for (std::size_t e = 0; e < values.size(); ++e) {
    run.w.fill(double(e + 1));  // "training" changed the weights
    if (!early.update(int(e + 1), values[e])) return int(e + 1);
  }
  return int(values.size());
}
}  // namespace

TEST_CASE("Early stopping on a loss: patience counts epochs without improvement", "[early_stopping]") {
  Run run;
  EarlyStopping<double> early(run.tensors(), Monitor::val_loss, 2);
  // best at epoch 3 (0.5); epochs 4 and 5 do not improve: stop at 5
  CHECK(feed(early, run, {1.0, 0.8, 0.5, 0.6, 0.55, 0.1}) == 5);
  CHECK(early.stopped());
  CHECK(early.stopped_epoch() == 5);
  CHECK(early.best_epoch() == 3);
  CHECK(early.best_value() == 0.5);
  CHECK(run.w(0) == 5.0);
  early.restore_best();
  CHECK(run.w(0) == 3.0);  // the weights of epoch 3 are back
  CHECK(run.w(1) == 3.0);
}

TEST_CASE("Early stopping on accuracy maximises, min_delta ignores small gains", "[early_stopping]") {
  Run run;
  EarlyStopping<double> early(run.tensors(), Monitor::val_accuracy, 3, 0.01);
  // 0.805 and 0.809 are within min_delta of 0.80: no improvement; 0.85 is one, and resets
  CHECK(feed(early, run, {0.70, 0.80, 0.805, 0.809, 0.85, 0.84, 0.86, 0.855}) == 8);
  CHECK(early.best_epoch() == 5);
  CHECK(early.epochs_without_improvement() == 3);
  CHECK(early.stopped_epoch() == 8);
  Run calm;
  EarlyStopping<double> never(calm.tensors(), Monitor::val_accuracy, 3);
  CHECK(feed(never, calm, {0.1, 0.2, 0.3, 0.4}) == 4);
  CHECK_FALSE(never.stopped());
  CHECK(never.best_epoch() == 4);
}

TEST_CASE("Early stopping ends fit() and restores the best epoch's weights", "[early_stopping][fit]") {
  Rng rng(4);
  Sequential<double> net;
  net.add(Linear<double>(2, 8, rng)).add(Tanh<double>{}).add(Linear<double>(8, 2, rng));
  const auto X = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{32, 2}, 5);
  Labels y = Labels::from_shape({32});
  for (std::size_t i = 0; i < 32; ++i) y(i) = X(i, 0) > 0 ? 1 : 0;
  const Dataset<Tensor2<double>, Labels> val{X, y};
  // min_delta larger than any change: only epoch 1 counts as an improvement
  EarlyStopping<double> early(net, Monitor::val_loss, 2, 1e9);
  std::vector<double> after_epoch1;
  FitOptions opts;
  opts.epochs = 10;
  opts.batch_size = 8;
  opts.progress = false;
  opts.on_epoch_end = [&, hook = early.hook()](const EpochRecord& rec) {
    if (rec.epoch == 1) after_epoch1.assign(net.params()[0].value, net.params()[0].value + 16);
    return hook(rec);
  };
  SGD<double> opt(0.5);
  const History h = fit(net, SoftmaxCrossEntropy<double>{}, opt, X, y, rng, opts, &val);
  CHECK(h.epochs.size() == 3);  // epoch 1 best, 2 and 3 without improvement
  CHECK(early.stopped_epoch() == 3);
  CHECK(net.params()[0].value[0] != after_epoch1[0]);
  early.restore_best();
  for (std::size_t i = 0; i < 16; ++i) REQUIRE(net.params()[0].value[i] == after_epoch1[i]);
}

TEST_CASE("Early stopping rejects bad settings and a missing validation figure", "[early_stopping][errors]") {
  Run run;
  CHECK_THROWS_WITH(EarlyStopping<double>(run.tensors(), Monitor::val_loss, 0), Catch::Contains("patience"));
  CHECK_THROWS_AS(EarlyStopping<double>(run.tensors(), Monitor::val_loss, 2, -1.0), ValueError);
  EarlyStopping<double> early(run.tensors(), Monitor::val_accuracy);
  CHECK_THROWS_WITH(early.restore_best(), Catch::Contains("no epoch"));
  EpochRecord rec;
  rec.epoch = 1;  // no validation set: val_accuracy is NaN
  CHECK_THROWS_WITH(early(rec), Catch::Contains("val_accuracy") && Catch::Contains("validation set"));
}
