#pragma once
/// \file
/// The training loop: epochs of shuffled mini-batches, forward, loss, backward, step;
/// a history of per-epoch figures; evaluation and prediction in batches.
/// The loop itself is @ref ch05_gradient_descent "Chapter 5"'s mini-batch SGD.

#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/interrupt.hpp"
#include "dlcore/core/rows.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/progress.hpp"
#include "dlcore/optim/optimizer.hpp"
#include "dlcore/train/checkpoint.hpp"
#include "dlcore/train/data.hpp"
#include "dlcore/train/history.hpp"
#include "dlcore/train/metrics.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

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
  /// For sequences of different lengths: the length of every training example, in the order
  /// of X_train's examples (null: all full length). Each batch's lengths reach the layers
  /// through Context::lengths; a validation set brings its own (Dataset::lengths).
  const Lengths* lengths = nullptr;
  /// Checkpoints and resuming (off while checkpoint.file is empty). With a file set, SIGINT
  /// and SIGTERM no longer end the process at once: the current step finishes, a checkpoint
  /// is written and fit() throws Interrupted. Resumed in the middle of an epoch,
  /// on_epoch_begin is called again for that epoch, then the saved learning rate is restored.
  CheckpointOptions checkpoint;
};

/// Loss and accuracy of a model on a dataset.
struct Evaluation {
  double loss = NAN, accuracy = NAN;
};

/// Network outputs for every row of X, computed in batches in eval mode; `lengths` (one per
/// example, or null) for sequences of different lengths.
template <class T, class XT>
Tensor2<T> predict(Sequential<T>& net, const XT& X, std::size_t batch_size = 512,
                   const Lengths* lengths = nullptr) {
  const std::size_t n = num_examples(X);
  if (lengths && !lengths->empty() && lengths->size() != n)
    throw ShapeError(fmt::format("predict: {} lengths for {} examples", lengths->size(), n));
  Tensor2<T> out;
  AnyTensor<T> batch = XT{};  // gathered in place: no copy into the variant per batch
  XT& xb = std::get<XT>(batch);
  Lengths lb;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  for (std::size_t b = 0; b < n; b += batch_size) {
    const std::size_t e = std::min(n, b + batch_size);
    gather_rows(X, order, b, e, xb);
    gather_lengths(lengths ? *lengths : Lengths{}, order, b, e, lb);
    Tensor2<T> y = net.forward2(batch, Context{Mode::eval, nullptr, lb.empty() ? nullptr : &lb});
    if (b == 0) out.resize({n, y.shape(1)});
    std::copy(y.begin(), y.end(), out.data() + b * y.shape(1));
  }
  return out;
}

/// Mean loss (weighted by batch size) and, for labels, accuracy.
template <class T, class Loss, class XT, class YT>
Evaluation evaluate(Sequential<T>& net, const Loss& loss, const XT& X, const YT& y,
                    std::size_t batch_size = 512, const Lengths* lengths = nullptr) {
  const Tensor2<T> out = predict(net, X, batch_size, lengths);
  typename Loss::Cache cache;
  Evaluation ev;
  ev.loss = double(loss.forward(out, y, cache));
  if constexpr (std::is_same_v<YT, Labels>) ev.accuracy = accuracy(argmax_rows(out), y);
  return ev;
}

/// Train `net` on (X_train, y_train) with mini-batch gradient descent:
/// for each epoch, shuffle; for each batch: zero_grad, forward, loss, backward, step.
/// Stops with DivergenceError if the loss becomes NaN or infinite (the last checkpoint
/// stays as it was). With options.checkpoint.file set, writes checkpoints (see
/// CheckpointOptions), resumes from one, and stops cleanly on SIGINT/SIGTERM (Interrupted).
template <class T, class Loss, class XT, class YT>
History fit(Sequential<T>& net, const Loss& loss, Optimizer<T>& opt, const XT& X_train,
            const YT& y_train, Rng& rng, const FitOptions& options,
            const Dataset<XT, YT>* validation = nullptr) {
  if (num_examples(X_train) != y_train.shape(0))
    throw ShapeError(fmt::format("fit: {} inputs but {} targets", num_examples(X_train),
                                 y_train.shape(0)));
  if (options.batch_size == 0) throw ValueError("fit: batch size must be positive");
  const std::size_t n = num_examples(X_train);
  if (n == 0) throw ValueError("fit: the training set is empty");
  const Lengths no_lengths;
  const Lengths& lengths = options.lengths ? *options.lengths : no_lengths;
  if (!lengths.empty() && lengths.size() != n)
    throw ShapeError(fmt::format("fit: {} lengths for {} training examples", lengths.size(), n));
  Lengths lb;  // the lengths of the current batch
  const std::size_t num_batches = (n + options.batch_size - 1) / options.batch_size;
  constexpr bool classify = std::is_same_v<YT, Labels>;
  const auto t0 = std::chrono::steady_clock::now();
  auto params = net.params();
  AnyTensor<T> batch = XT{};  // gathered in place: no copy into the variant per batch
  XT& xb = std::get<XT>(batch);
  YT yb;
  typename Loss::Cache cache;

  // ---- Checkpoints: the loop's whole state is `s` (plus net, opt and rng)
  const CheckpointOptions& ck = options.checkpoint;
  const bool checkpointing = !ck.file.empty();
  std::optional<InterruptGuard> guard;  // SIGINT/SIGTERM set a flag while training
  if (checkpointing) guard.emplace();
  const nlohmann::json settings = {{"examples", n},
                                   {"batch_size", options.batch_size},
                                   {"shuffle", options.shuffle},
                                   {"validation", validation ? validation->size() : 0}};
  FitState s;
  std::optional<std::size_t> saved_step;  // the step of the checkpoint on disk
  double seconds_before = 0;              // wall time of earlier runs
  if (checkpointing && ck.resume) {
    for (const auto& t : remove_stale_temporaries(ck.file))  // left by a run killed mid-write
      fmt::print("removed {}, half-written by a run that was killed\n", t.string());
    if (std::filesystem::exists(ck.file)) {
      s = load_checkpoint(ck.file, net, opt, settings);
      rng.restore(s.rng_state);
      opt.lr = T(s.lr);
      if (ck.restore_extra_arrays) ck.restore_extra_arrays(s.extra_arrays);
      if (ck.restore_extra) ck.restore_extra(s.extra);
      saved_step = s.global_step;
      seconds_before = s.history.seconds;
      fmt::print("resuming from {} at epoch {}, step {}\n", ck.file.string(), s.epoch,
                 s.global_step);
    } else {
      fmt::print("no checkpoint {} yet: starting from the beginning\n", ck.file.string());
    }
  }
  History& history = s.history;
  auto save = [&] {
    s.rng_state = rng.state();
    s.lr = double(opt.lr);
    s.history.seconds = seconds_before + std::chrono::duration<double>(
                                             std::chrono::steady_clock::now() - t0).count();
    if (ck.save_extra) s.extra = ck.save_extra();
    if (ck.save_extra_arrays) s.extra_arrays = ck.save_extra_arrays();
    save_checkpoint(ck.file, net, opt, s, settings);
    saved_step = s.global_step;
  };
  auto stop_if_interrupted = [&] {
    if (const int sig = interrupt_signal()) {
      clear_interrupt();
      throw Interrupted(sig, fmt::format("stopped by {} after epoch {} step {} (global step {}); "
                                         "checkpoint saved in {}",
                                         signal_name(sig), s.batch ? s.epoch : s.epoch - 1,
                                         s.batch ? s.batch : num_batches, s.global_step,
                                         ck.file.string()));
    }
  };

  while (!s.stopped && s.epoch <= options.epochs) {
    const int epoch = s.epoch;
    if (options.on_epoch_begin) options.on_epoch_begin(epoch);
    const auto te = std::chrono::steady_clock::now();
    std::vector<std::size_t> order;
    if (s.batch == 0) {  // a fresh epoch: draw its order, remembering the generator before
      s.order_rng_state = rng.state();
      order = epoch_order(n, rng, options.shuffle);
    } else {  // resumed mid-epoch: the same order again, then the generator as it was
      const std::string now = rng.state();
      rng.restore(s.order_rng_state);
      order = epoch_order(n, rng, options.shuffle);
      rng.restore(now);
      opt.lr = T(s.lr);
    }
    Progress bar(num_batches, fmt::format("epoch {}/{}", epoch, options.epochs), options.progress);
    if (s.batch > 0) bar.update(s.batch);
    for (std::size_t b = s.batch; b < num_batches; ++b) {
      const std::size_t begin = b * options.batch_size;
      const std::size_t end = std::min(n, begin + options.batch_size);
      gather_rows(X_train, order, begin, end, xb);
      gather_rows(y_train, order, begin, end, yb);
      gather_lengths(lengths, order, begin, end, lb);
      if constexpr (std::is_same_v<XT, Tensor4<float>>)
        if (options.augment) options.augment(xb, rng);

      //! [training_step]
      net.zero_grad();                                                   // gradients := 0
      const Context ctx{Mode::train, &rng, lb.empty() ? nullptr : &lb};  // mode, generator, lengths
      const Tensor2<T> out = net.forward2(batch, ctx);                   // forward, caching
      const T l = loss.forward(out, yb, cache);                          // the batch loss
      if (!std::isfinite(double(l)))
        throw DivergenceError(fmt::format(
            "training diverged at epoch {}, step {}: the loss is {}{}", epoch, s.global_step + 1,
            double(l),
            saved_step ? fmt::format("; the last good checkpoint (step {}) is kept in {}",
                                     *saved_step, ck.file.string())
                       : std::string()));
      net.backward(loss.backward(cache));                                // backward, accumulating
      if (options.before_step) options.before_step();                    // penalties, clipping
      opt.step(params);                                                  // update
      //! [training_step]

      ++s.global_step;
      s.batch = b + 1;
      s.loss_sum += double(l) * double(end - begin);
      if constexpr (classify) {
        const Labels pred = argmax_rows(out);
        for (std::size_t i = 0; i < pred.size(); ++i) s.hits += pred(i) == yb(i);
      }
      history.step_loss.push_back(double(l));
      if (options.on_step) options.on_step(s.global_step, double(l));
      bar.update(b + 1, fmt::format("loss {:.4f}", s.loss_sum / double(end)));
      if (checkpointing && s.batch < num_batches &&  // the epoch's end has its own checkpoint
          (interrupt_signal() || (ck.every > 0 && s.global_step % ck.every == 0))) {
        save();
        stop_if_interrupted();
      }
    }

    EpochRecord rec;
    rec.epoch = epoch;
    rec.lr = double(opt.lr);
    rec.train_loss = s.loss_sum / double(n);
    if constexpr (classify) rec.train_accuracy = double(s.hits) / double(n);
    if (validation) {
      const Evaluation ev = evaluate(net, loss, validation->X, validation->y, 512,
                                     validation->lengths.empty() ? nullptr : &validation->lengths);
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
    s.epoch = epoch + 1;
    s.batch = 0;
    s.loss_sum = 0;
    s.hits = 0;
    if (options.on_epoch_end && !options.on_epoch_end(rec)) s.stopped = true;
    if (checkpointing) {
      save();
      stop_if_interrupted();
    }
  }
  history.seconds = seconds_before +
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::move(s.history);
}

}  // namespace dl
