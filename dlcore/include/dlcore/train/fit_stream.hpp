#pragma once
/// \file
/// Training on a stream of freshly generated batches: the synthetic sequence tasks of
/// Chapters 17 and 18 (the adding problem, the copy task) never show the network the same
/// example twice, so there are steps instead of epochs and a fixed test set measured every
/// few steps. The step itself is fit()'s: zero_grad, forward, loss, backward, clip, update.

#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/progress.hpp"
#include "dlcore/optim/clip.hpp"
#include "dlcore/optim/optimizer.hpp"
#include "dlcore/train/data.hpp"
#include "dlcore/train/metrics.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

struct StreamOptions {
  std::size_t steps = 1000;      ///< optimizer steps, one fresh batch each
  std::size_t eval_every = 100;  ///< test-set figures every this many steps (and at the end)
  /// Clip the global gradient norm to this before each update (0: no clipping).
  double clip_norm = 0;
  /// On a NaN or infinite loss: throw DivergenceError (true), or stop and return what was
  /// measured so far with StreamHistory::diverged_at set (false: for showing a divergence).
  bool throw_on_divergence = true;
  bool progress = true;
  std::string label = "steps";  ///< progress bar label
};

/// Test-set figures at one step.
struct StreamPoint {
  std::size_t step = 0;
  double test_loss = NAN, test_accuracy = NAN;
};

/// What fit_stream() measured.
struct StreamHistory {
  std::vector<double> step_loss;   ///< training loss of every step
  std::vector<double> grad_norm;   ///< global gradient norm of every step, before clipping
  std::vector<StreamPoint> tests;  ///< every eval_every steps
  std::size_t diverged_at = 0;     ///< the step whose loss was not finite (0: none)
  double seconds = 0;
};

/// Mean loss and (for labels) accuracy of `net` over a test set given as batches (each one
/// forward pass; the loss of each batch weighted by its output rows).
template <class T, class Loss, class XT, class YT>
StreamPoint test_point(Sequential<T>& net, const Loss& loss,
                       const std::vector<Dataset<XT, YT>>& test, std::size_t step) {
  double loss_sum = 0, rows = 0, hits = 0;
  for (const auto& b : test) {
    typename Loss::Cache cache;
    const Tensor2<T> out = net.forward2(b.X, Context{Mode::eval, nullptr, nullptr});
    loss_sum += double(loss.forward(out, b.y, cache)) * double(out.shape(0));
    rows += double(out.shape(0));
    if constexpr (std::is_same_v<YT, Labels>) hits += accuracy(argmax_rows(out), b.y) * double(out.shape(0));
  }
  StreamPoint p;
  p.step = step;
  p.test_loss = loss_sum / rows;
  if constexpr (std::is_same_v<YT, Labels>) p.test_accuracy = hits / rows;
  return p;
}

/// Train `net` for options.steps steps, each on a new batch `make_batch(rng)`; measure the
/// fixed `test` batches every options.eval_every steps.
template <class T, class Loss, class XT, class YT>
StreamHistory fit_stream(Sequential<T>& net, const Loss& loss, Optimizer<T>& opt, Rng& rng,
                         const std::function<Dataset<XT, YT>(Rng&)>& make_batch,
                         const std::vector<Dataset<XT, YT>>& test, const StreamOptions& options) {
  if (options.eval_every == 0) throw ValueError("fit_stream: eval_every must be positive");
  if (test.empty()) throw ValueError("fit_stream: needs at least one test batch");
  const auto t0 = std::chrono::steady_clock::now();
  StreamHistory h;
  auto params = net.params();
  typename Loss::Cache cache;
  Progress bar(options.steps, options.label, options.progress);
  for (std::size_t step = 1; step <= options.steps; ++step) {
    const Dataset<XT, YT> batch = make_batch(rng);
    net.zero_grad();
    const Tensor2<T> out = net.forward2(batch.X, Context{Mode::train, &rng, nullptr});
    const T l = loss.forward(out, batch.y, cache);
    if (!std::isfinite(double(l))) {
      if (options.throw_on_divergence)
        throw DivergenceError(fmt::format("training diverged at step {}: the loss is {}", step, double(l)));
      h.diverged_at = step;
      break;
    }
    net.backward(loss.backward(cache));
    h.grad_norm.push_back(options.clip_norm > 0 ? clip_grad_norm(params, options.clip_norm)
                                                : global_grad_norm(params));
    opt.step(params);
    h.step_loss.push_back(double(l));
    if (step % options.eval_every == 0 || step == options.steps)
      h.tests.push_back(test_point(net, loss, test, step));
    bar.update(step, fmt::format("loss {:.4f}", double(l)));
  }
  bar.finish(h.tests.empty() ? std::string("diverged")
                             : fmt::format("test loss {:.4f}", h.tests.back().test_loss));
  h.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return h;
}

}  // namespace dl
