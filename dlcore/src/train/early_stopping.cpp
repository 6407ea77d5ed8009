#include "dlcore/train/early_stopping.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

std::string to_string(Monitor m) { return m == Monitor::val_loss ? "val_loss" : "val_accuracy"; }

namespace {
template <class T>
std::vector<ParamRef<T>> params_and_buffers(Sequential<T>& net) {
  std::vector<ParamRef<T>> all = net.params();
  for (auto& b : net.buffers()) all.push_back(b);
  return all;
}
}  // namespace

template <class T>
EarlyStopping<T>::EarlyStopping(Sequential<T>& net, Monitor monitor, int patience, double min_delta)
    : EarlyStopping(params_and_buffers(net), monitor, patience, min_delta) {}

template <class T>
EarlyStopping<T>::EarlyStopping(std::vector<ParamRef<T>> tensors, Monitor monitor, int patience,
                                double min_delta)
    : tensors_(std::move(tensors)), monitor_(monitor), patience_(patience), min_delta_(min_delta) {
  if (patience_ < 1) throw ValueError(fmt::format("EarlyStopping: patience must be >= 1, got {}", patience_));
  if (!(min_delta_ >= 0))
    throw ValueError(fmt::format("EarlyStopping: min_delta must be >= 0, got {}", min_delta_));
  best_copy_.resize(tensors_.size());
}

template <class T>
bool EarlyStopping<T>::update(int epoch, double value) {
  if (std::isnan(value))
    throw ValueError(fmt::format("EarlyStopping: {} of epoch {} is NaN (did fit() get a validation set?)",
                                 to_string(monitor_), epoch));
  //! [early_stopping]
  const bool minimise = monitor_ == Monitor::val_loss;
  const bool improved = best_epoch_ == 0 ||
                        (minimise ? value < best_ - min_delta_ : value > best_ + min_delta_);
  if (improved) {  // a new best: remember it and a copy of the weights
    best_ = value;
    best_epoch_ = epoch;
    wait_ = 0;
    for (std::size_t k = 0; k < tensors_.size(); ++k)
      best_copy_[k].assign(tensors_[k].value, tensors_[k].value + tensors_[k].size());
  } else if (++wait_ >= patience_) {  // patience epochs in a row without improvement
    stopped_epoch_ = epoch;
    return false;                      // stop training
  }
  return true;
  //! [early_stopping]
}

template <class T>
bool EarlyStopping<T>::operator()(const EpochRecord& rec) {
  return update(rec.epoch, monitor_ == Monitor::val_loss ? rec.val_loss : rec.val_accuracy);
}

template <class T>
void EarlyStopping<T>::restore_best() const {
  if (best_epoch_ == 0) throw ValueError("EarlyStopping::restore_best: no epoch was recorded yet");
  for (std::size_t k = 0; k < tensors_.size(); ++k)
    std::copy(best_copy_[k].begin(), best_copy_[k].end(), tensors_[k].value);
}

template class EarlyStopping<float>;
template class EarlyStopping<double>;

}  // namespace dl
