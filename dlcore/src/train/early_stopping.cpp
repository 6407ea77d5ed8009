#include "dlcore/train/early_stopping.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/npy.hpp"

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

namespace {
const std::string kPrefix = "early_stopping/";  // of this object's entries among the extras
// The entry of the k-th watched tensor's best copy: the index keeps equal names apart.
std::string copy_entry(std::size_t k, const std::string& name) {
  return fmt::format("best_{}_{}.npy", k, name);
}
}  // namespace

template <class T>
nlohmann::json EarlyStopping<T>::state() const {
  return {{"monitor", to_string(monitor_)}, {"patience", patience_}, {"min_delta", min_delta_},
          {"best_epoch", best_epoch_},      {"wait", wait_},         {"stopped_epoch", stopped_epoch_}};
}

template <class T>
NpzEntries EarlyStopping<T>::state_arrays() const {
  NpzEntries out;
  out.emplace_back(kPrefix + "best.npy", npy_encode("<f8", {1}, &best_, sizeof(double)));
  if (best_epoch_ > 0)  // the weights of the best epoch, in their own type: bit-exact
    for (std::size_t k = 0; k < tensors_.size(); ++k)
      out.emplace_back(kPrefix + copy_entry(k, tensors_[k].name),
                       npy_encode(npy_descr<T>(), tensors_[k].shape, best_copy_[k].data(),
                                  best_copy_[k].size() * sizeof(T)));
  return out;
}

template <class T>
void EarlyStopping<T>::restore_state(const nlohmann::json& j, const NpzEntries& arrays,
                                     const std::string& file) {
  auto malformed = [&](const std::string& what) {
    return FileError(fmt::format("{}: the early-stopping state in the checkpoint is malformed: {}",
                                 file, what));
  };
  if (!j.is_object()) throw malformed("not a JSON object");
  for (const char* key : {"monitor", "patience", "min_delta"}) {
    if (!j.contains(key)) throw malformed(fmt::format("no \"{}\"", key));
    if (j[key] != state()[key])
      throw ValueError(fmt::format("{}: the checkpoint was written with early stopping's {} {}, "
                                   "this run has {}; run without --resume to start afresh",
                                   file, key, j[key].dump(), state()[key].dump()));
  }
  auto counter = [&](const char* key, int hi) {
    if (!j.contains(key) || !j[key].is_number_unsigned() ||
        j[key].get<std::uint64_t>() > std::uint64_t(hi))
      throw malformed(fmt::format("\"{}\" is not a whole number from 0 to {}", key, hi));
    return int(j[key].get<std::uint64_t>());
  };
  constexpr int kMost = std::numeric_limits<int>::max();
  const int best_epoch = counter("best_epoch", kMost), stopped_epoch = counter("stopped_epoch", kMost);
  const int wait = counter("wait", patience_);
  auto entry = [&](const std::string& name) -> const std::string* {
    for (const auto& [n, bytes] : arrays)
      if (n == kPrefix + name) return &bytes;
    return nullptr;
  };
  auto array = [&](const std::string& name, const std::vector<std::size_t>& shape) {
    const std::string* bytes = entry(name);
    if (!bytes) throw malformed("no entry " + kPrefix + name);
    const NpyArray a = npy_decode(*bytes, file + ":" + kPrefix + name);
    if (a.shape != shape)
      throw malformed(fmt::format("{} has shape {}, expected {}", kPrefix + name,
                                  shape_str(a.shape), shape_str(shape)));
    return a;
  };
  const std::vector<double> best = npy_values<double>(array("best.npy", {1}), file);
  std::vector<std::vector<T>> copy(tensors_.size());
  if (best_epoch > 0)
    for (std::size_t k = 0; k < tensors_.size(); ++k)
      copy[k] = npy_values<T>(array(copy_entry(k, tensors_[k].name), tensors_[k].shape), file);
  best_ = best[0];
  best_epoch_ = best_epoch;
  wait_ = wait;
  stopped_epoch_ = stopped_epoch;
  best_copy_ = std::move(copy);
}

template <class T>
void EarlyStopping<T>::keep_in(CheckpointOptions& ck) {
  const std::string file = ck.file.string();
  // JSON under "early_stopping" in the hooks' state; arrays named "early_stopping/..."
  ck.save_extra = [this, before = ck.save_extra] {
    nlohmann::json j = before ? before() : nlohmann::json::object();
    j["early_stopping"] = state();
    return j;
  };
  ck.save_extra_arrays = [this, before = ck.save_extra_arrays] {
    NpzEntries e = before ? before() : NpzEntries{};
    for (auto& a : state_arrays()) e.push_back(std::move(a));
    return e;
  };
  // restore_extra_arrays runs first: keep the arrays for restore_extra, which has the counters
  auto arrays = std::make_shared<NpzEntries>();
  ck.restore_extra_arrays = [arrays, before = ck.restore_extra_arrays](const NpzEntries& e) {
    if (before) before(e);
    *arrays = e;
  };
  ck.restore_extra = [this, arrays, file, before = ck.restore_extra](const nlohmann::json& j) {
    if (before) before(j);
    if (!j.is_object() || !j.contains("early_stopping"))
      throw FileError(file + ": the checkpoint has no early-stopping state (written by a run "
                             "without early stopping?); run without --resume to start afresh");
    restore_state(j["early_stopping"], *arrays, file);
  };
}

template class EarlyStopping<float>;
template class EarlyStopping<double>;

}  // namespace dl
