#pragma once
/// \file
/// The training loop: epochs of shuffled mini-batches, forward, loss, backward, step;
/// a history of per-epoch figures; evaluation and prediction in batches.
/// The loop itself is @ref ch05_gradient_descent "Chapter 5"'s mini-batch SGD.

#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rows.hpp"
#include "dlcore/io/progress.hpp"
#include "dlcore/optim/optimizer.hpp"
#include "dlcore/train/data.hpp"
#include "dlcore/train/metrics.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// Figures of one epoch. Accuracies are NaN for regression; validation figures are NaN
/// when there is no validation set.
struct EpochRecord {
  int epoch = 0;  ///< 1-based
  double train_loss = NAN, train_accuracy = NAN;
  double val_loss = NAN, val_accuracy = NAN;
  double lr = NAN;
  double seconds = 0;  ///< wall time of the epoch (training and validation)
};

/// Everything fit() measured.
struct History {
  std::vector<EpochRecord> epochs;
  std::vector<double> step_loss;  ///< training loss of every mini-batch
  double seconds = 0;             ///< total wall time
};

struct FitOptions {
  int epochs = 10;
  std::size_t batch_size = 128;
  bool shuffle = true;
  bool progress = true;  ///< draw a progress bar per epoch
  /// Called after every step with the 1-based global step and the batch loss.
  std::function<void(std::size_t step, double loss)> on_step;
  /// Called after every epoch; return false to stop training (early stopping).
  std::function<bool(const EpochRecord&)> on_epoch_end;
  /// Called before every epoch with its 1-based number (learning-rate schedules).
  std::function<void(int epoch)> on_epoch_begin;
  /// Called after backward and before the optimizer step: the place for penalties that add
  /// to the gradients (L1, L2) and for gradient clipping.
  std::function<void()> before_step;
  /// Applied to every training mini-batch of images (N, C, H, W) before the forward pass,
  /// with the run's generator: data augmentation. Float image batches only.
  std::function<void(Tensor4<float>& batch, Rng& rng)> augment;
};

/// Loss and accuracy of a model on a dataset.
struct Evaluation {
  double loss = NAN, accuracy = NAN;
};

/// Network outputs for every row of X, computed in batches in eval mode.
template <class T, class XT>
Tensor2<T> predict(Sequential<T>& net, const XT& X, std::size_t batch_size = 512) {
  const std::size_t n = X.shape(0);
  Tensor2<T> out;
  AnyTensor<T> batch = XT{};  // gathered in place: no copy into the variant per batch
  XT& xb = std::get<XT>(batch);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  for (std::size_t b = 0; b < n; b += batch_size) {
    const std::size_t e = std::min(n, b + batch_size);
    gather_rows(X, order, b, e, xb);
    Tensor2<T> y = net.forward2(batch, Context{Mode::eval, nullptr});
    if (b == 0) out.resize({n, y.shape(1)});
    std::copy(y.begin(), y.end(), out.data() + b * y.shape(1));
  }
  return out;
}

/// Mean loss (weighted by batch size) and, for labels, accuracy.
template <class T, class Loss, class XT, class YT>
Evaluation evaluate(Sequential<T>& net, const Loss& loss, const XT& X, const YT& y,
                    std::size_t batch_size = 512) {
  const Tensor2<T> out = predict(net, X, batch_size);
  typename Loss::Cache cache;
  Evaluation ev;
  ev.loss = double(loss.forward(out, y, cache));
  if constexpr (std::is_same_v<YT, Labels>) ev.accuracy = accuracy(argmax_rows(out), y);
  return ev;
}

/// Train `net` on (X_train, y_train) with mini-batch gradient descent:
/// for each epoch, shuffle; for each batch: zero_grad, forward, loss, backward, step.
/// Stops with DivergenceError if the loss becomes NaN or infinite.
template <class T, class Loss, class XT, class YT>
History fit(Sequential<T>& net, const Loss& loss, Optimizer<T>& opt, const XT& X_train,
            const YT& y_train, Rng& rng, const FitOptions& options,
            const Dataset<XT, YT>* validation = nullptr) {
  if (X_train.shape(0) != y_train.shape(0))
    throw ShapeError(fmt::format("fit: {} inputs but {} targets", X_train.shape(0),
                                 y_train.shape(0)));
  if (options.batch_size == 0) throw ValueError("fit: batch size must be positive");
  const std::size_t n = X_train.shape(0);
  const std::size_t num_batches = (n + options.batch_size - 1) / options.batch_size;
  constexpr bool classify = std::is_same_v<YT, Labels>;
  History history;
  const auto t0 = std::chrono::steady_clock::now();
  auto params = net.params();
  AnyTensor<T> batch = XT{};  // gathered in place: no copy into the variant per batch
  XT& xb = std::get<XT>(batch);
  YT yb;
  typename Loss::Cache cache;
  std::size_t global_step = 0;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    if (options.on_epoch_begin) options.on_epoch_begin(epoch);
    const auto te = std::chrono::steady_clock::now();
    const auto order = epoch_order(n, rng, options.shuffle);
    Progress bar(num_batches, fmt::format("epoch {}/{}", epoch, options.epochs), options.progress);
    double loss_sum = 0;
    std::size_t hits = 0;
    for (std::size_t b = 0; b < num_batches; ++b) {
      const std::size_t begin = b * options.batch_size;
      const std::size_t end = std::min(n, begin + options.batch_size);
      gather_rows(X_train, order, begin, end, xb);
      gather_rows(y_train, order, begin, end, yb);
      if constexpr (std::is_same_v<XT, Tensor4<float>>)
        if (options.augment) options.augment(xb, rng);

      //! [training_step]
      net.zero_grad();                                                   // gradients := 0
      const Tensor2<T> out = net.forward2(batch, Context{Mode::train, &rng});  // forward, caching
      const T l = loss.forward(out, yb, cache);                          // the batch loss
      ++global_step;
      if (!std::isfinite(double(l)))
        throw DivergenceError(fmt::format("training diverged at epoch {}, step {}: the loss is {}",
                                          epoch, global_step, double(l)));
      net.backward(loss.backward(cache));                                // backward, accumulating
      if (options.before_step) options.before_step();                    // penalties, clipping
      opt.step(params);                                                  // update
      //! [training_step]

      loss_sum += double(l) * double(end - begin);
      if constexpr (classify) {
        const Labels pred = argmax_rows(out);
        for (std::size_t i = 0; i < pred.size(); ++i) hits += pred(i) == yb(i);
      }
      history.step_loss.push_back(double(l));
      if (options.on_step) options.on_step(global_step, double(l));
      bar.update(b + 1, fmt::format("loss {:.4f}", loss_sum / double(end)));
    }

    EpochRecord rec;
    rec.epoch = epoch;
    rec.lr = double(opt.lr);
    rec.train_loss = loss_sum / double(n);
    if constexpr (classify) rec.train_accuracy = double(hits) / double(n);
    if (validation) {
      const Evaluation ev = evaluate(net, loss, validation->X, validation->y);
      rec.val_loss = ev.loss;
      rec.val_accuracy = ev.accuracy;
    }
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - te).count();
    std::string status = fmt::format("loss {:.4f}", rec.train_loss);
    if constexpr (classify) status += fmt::format(" acc {:.4f}", rec.train_accuracy);
    if (validation) {
      status += fmt::format(" | val loss {:.4f}", rec.val_loss);
      if constexpr (classify) status += fmt::format(" acc {:.4f}", rec.val_accuracy);
    }
    bar.finish(status);
    history.epochs.push_back(rec);
    if (options.on_epoch_end && !options.on_epoch_end(rec)) break;
  }
  history.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return history;
}

}  // namespace dl
