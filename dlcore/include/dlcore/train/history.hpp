#pragma once
/// \file
/// What a training run measured: one record per epoch and the loss of every step.

#include <cmath>
#include <vector>

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
  double seconds = 0;             ///< total wall time (of every run, when resumed)
};

}  // namespace dl
