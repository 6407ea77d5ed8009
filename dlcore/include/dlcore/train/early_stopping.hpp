#pragma once
/// \file
/// Early stopping on a validation metric: stop when it has not improved for `patience`
/// epochs, and keep a copy of the parameters of the best epoch to restore.
/// See @ref ch08_regularization "Chapter 8".

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dlcore/core/param.hpp"
#include "dlcore/io/npz.hpp"
#include "dlcore/train/checkpoint.hpp"
#include "dlcore/train/fit.hpp"

namespace dl {

/// Which validation figure of an EpochRecord to watch: the loss is minimised, the accuracy
/// maximised.
enum class Monitor { val_loss, val_accuracy };

/// Early stopping with Keras' rules: an epoch improves when its value beats the best so
/// far by more than min_delta (lower for val_loss, higher for val_accuracy); training stops
/// after `patience` epochs in a row without improvement. At every improvement the watched
/// tensors are copied; restore_best() copies them back.
///
/// Plug into fit() with `options.on_epoch_end = early.hook();` and call restore_best()
/// after fit() returns. With checkpoints, also call `early.keep_in(options.checkpoint)`
/// (after setting its file): a resumed run then stops where, and keeps the weights that, a
/// run that never stopped would. Not copyable: the hooks refer to this object.
template <class T>
class EarlyStopping {
 public:
  /// Watches a model's parameters and buffers (BatchNorm's running statistics).
  EarlyStopping(Sequential<T>& net, Monitor monitor = Monitor::val_loss, int patience = 5,
                double min_delta = 0);
  /// Watches the given tensors. ValueError for patience < 1 or min_delta < 0.
  EarlyStopping(std::vector<ParamRef<T>> tensors, Monitor monitor = Monitor::val_loss,
                int patience = 5, double min_delta = 0);
  EarlyStopping(const EarlyStopping&) = delete;
  EarlyStopping& operator=(const EarlyStopping&) = delete;

  /// Record one epoch's value; returns false when training should stop. ValueError for a
  /// NaN value (e.g. fit() had no validation set).
  bool update(int epoch, double value);
  /// update() with the monitored field of an epoch record.
  bool operator()(const EpochRecord& rec);
  /// For FitOptions::on_epoch_end.
  std::function<bool(const EpochRecord&)> hook() {
    return [this](const EpochRecord& rec) { return (*this)(rec); };
  }

  /// Copy the best epoch's tensors back into the model. ValueError before any update().
  void restore_best() const;

  /// Save this object's counters, best value and best weights with every checkpoint of `ck`
  /// (bit-exactly, as entries "extra/early_stopping/...") and restore them on resume. Call
  /// after setting ck.file; hooks already set in `ck` are kept and called first. Resuming
  /// with another monitor, patience or min_delta is a ValueError naming the file.
  void keep_in(CheckpointOptions& ck);
  /// The counters as JSON, and the best value and weights as named .npy entries.
  nlohmann::json state() const;
  NpzEntries state_arrays() const;
  /// Restore what state() and state_arrays() gave; `file` names the checkpoint in errors.
  /// FileError when they are malformed, ValueError when written with other settings.
  void restore_state(const nlohmann::json& j, const NpzEntries& arrays,
                     const std::string& file);

  int best_epoch() const { return best_epoch_; }     ///< 0 before any update()
  double best_value() const { return best_; }
  bool stopped() const { return stopped_epoch_ > 0; }
  int stopped_epoch() const { return stopped_epoch_; }  ///< the epoch that said stop, or 0
  int epochs_without_improvement() const { return wait_; }
  Monitor monitor() const { return monitor_; }

 private:
  std::vector<ParamRef<T>> tensors_;
  std::vector<std::vector<T>> best_copy_;
  Monitor monitor_;
  int patience_;
  double min_delta_;
  double best_ = 0;
  int best_epoch_ = 0, stopped_epoch_ = 0, wait_ = 0;
};

/// "val_loss" or "val_accuracy".
std::string to_string(Monitor m);

extern template class EarlyStopping<float>;
extern template class EarlyStopping<double>;

}  // namespace dl
