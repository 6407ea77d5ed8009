#pragma once
/// \file
/// Learning-rate schedules as pure functions of the epoch (or step) index, with the
/// semantics of PyTorch's StepLR and CosineAnnealingLR, and the glue that plugs them into
/// fit() through FitOptions::on_epoch_begin or FitOptions::on_step.
/// See @ref ch09_init_and_gradients "Chapter 9".
///
/// Indices are 0-based as in PyTorch (`last_epoch`): index 0 is the first epoch (or step),
/// trained with the base rate. fit() numbers epochs from 1, and schedule_epochs() converts.

#include <functional>

#include "dlcore/optim/optimizer.hpp"

namespace dl {

/// StepLR: \f$ \eta_e = \eta_0\, \gamma^{\lfloor e / s \rfloor} \f$ (decay by gamma every s epochs).
struct StepLR {
  double base_lr;
  int step_size;
  double gamma = 0.1;
  /// ValueError for step_size < 1, base_lr < 0 or gamma <= 0.
  StepLR(double base_lr, int step_size, double gamma = 0.1);
  double operator()(int index) const;
};

/// CosineAnnealingLR: \f$ \eta_e = \eta_{min} + \tfrac12(\eta_0 - \eta_{min})
/// (1 + \cos(\pi e / T_{max})) \f$, from the base rate down to eta_min at \f$ e = T_{max} \f$
/// and (as in PyTorch) back up after it, with period \f$ 2T_{max} \f$.
struct CosineLR {
  double base_lr;
  int t_max;
  double eta_min = 0;
  /// ValueError for t_max < 1 or a negative rate.
  CosineLR(double base_lr, int t_max, double eta_min = 0);
  double operator()(int index) const;
};

/// A rate of a 0-based index (StepLR, CosineLR or any lambda).
using LrSchedule = std::function<double(int)>;

/// For FitOptions::on_epoch_begin: sets opt.lr = schedule(epoch - 1) before each epoch.
template <class T>
std::function<void(int)> schedule_epochs(Optimizer<T>& opt, LrSchedule schedule);

/// For FitOptions::on_step (called after step s, 1-based): sets opt.lr = schedule(s), the
/// rate of the next step. Sets opt.lr = schedule(0) at once, for the first step.
template <class T>
std::function<void(std::size_t, double)> schedule_steps(Optimizer<T>& opt, LrSchedule schedule);

}  // namespace dl
