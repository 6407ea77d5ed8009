#pragma once
/// \file
/// Checkpoints: everything that decides the rest of a training run, in one .npz file, so
/// that a run stopped at any step (Ctrl-C, SIGTERM, even SIGKILL after the last checkpoint)
/// and resumed ends with exactly the parameters of a run that never stopped.
///
/// A checkpoint holds the parameters and buffers ("0.W.npy", as in a model file), the
/// optimizer's state ("optim/m/0.W.npy", ...) and step count, the generator's state now and
/// before the current epoch's shuffle was drawn (so the same order is drawn again), the
/// position (epoch, batch, global step), the epoch's running sums, the history so far, and
/// a "checkpoint.json" with the architecture and the run's settings, checked on resume.
/// It is written atomically (temporary file, fsync, rename): a crash while writing leaves
/// the previous checkpoint whole. Every entry is CRC-checked on reading, so a corrupt or
/// truncated checkpoint is an error naming the file.

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "dlcore/io/npz.hpp"
#include "dlcore/optim/optimizer.hpp"
#include "dlcore/train/history.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// Where and how often fit() writes checkpoints (FitOptions::checkpoint).
struct CheckpointOptions {
  CheckpointOptions() = default;
  /// e.g. `{opt.checkpoint_file("mlp"), opt.checkpoint_every, opt.resume}` in a chapter.
  CheckpointOptions(std::filesystem::path file_, std::size_t every_ = 0, bool resume_ = false)
      : file(std::move(file_)), every(every_), resume(resume_) {}
  /// The checkpoint file; empty: no checkpoints, and signals end the process as usual.
  std::filesystem::path file;
  /// Also write one every this many steps (0: only at the end of each epoch and on a signal).
  std::size_t every = 0;
  /// Continue from `file` if it exists (a missing file starts afresh, with a note).
  bool resume = false;
  /// State of the caller's hooks that decides the rest of the run (early-stopping counters,
  /// ...): saved with every checkpoint, handed back to restore_extra on resume.
  std::function<nlohmann::json()> save_extra;
  std::function<void(const nlohmann::json&)> restore_extra;
  /// Arrays of that state (early stopping's best weights), as named .npy bytes: saved
  /// bit-exactly as entries "extra/NAME" of every checkpoint, handed back to
  /// restore_extra_arrays on resume (before restore_extra). EarlyStopping::keep_in() sets
  /// all four.
  std::function<NpzEntries()> save_extra_arrays;
  std::function<void(const NpzEntries&)> restore_extra_arrays;
};

/// Where a training loop stands, beside the network, the optimizer and the generator.
struct FitState {
  int epoch = 1;                  ///< the epoch to run or in progress (1-based)
  std::size_t batch = 0;          ///< batches of `epoch` already done
  std::size_t global_step = 0;    ///< steps done in all epochs
  bool stopped = false;           ///< on_epoch_end asked to stop (early stopping)
  std::string rng_state;          ///< the generator, now
  std::string order_rng_state;    ///< the generator before `epoch`'s shuffle was drawn
  double loss_sum = 0;            ///< this epoch's sum of batch loss x batch size so far
  std::size_t hits = 0;           ///< this epoch's correct training predictions so far
  double lr = 0;                  ///< the optimizer's learning rate
  History history;                ///< finished epochs and every step's loss
  nlohmann::json extra;           ///< CheckpointOptions::save_extra's state
  NpzEntries extra_arrays;        ///< CheckpointOptions::save_extra_arrays' arrays
};

/// Write a checkpoint atomically. `settings` (batch size, number of examples, ...) are
/// stored and compared by load_checkpoint.
template <class T>
void save_checkpoint(const std::filesystem::path& path, Sequential<T>& net, Optimizer<T>& opt,
                     const FitState& state, const nlohmann::json& settings);

/// Read a checkpoint into `net` and `opt` and return the loop's state. FileError names the
/// file (and the entry or field) when it is missing, truncated, corrupt, inconsistent or not
/// a checkpoint; ValueError (naming the file) when it was written by another architecture,
/// optimizer or settings.
template <class T>
FitState load_checkpoint(const std::filesystem::path& path, Sequential<T>& net,
                         Optimizer<T>& opt, const nlohmann::json& settings);

}  // namespace dl
