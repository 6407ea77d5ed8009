#include "dlcore/optim/schedule.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

namespace {
void check_index(const char* who, int index) {
  if (index < 0) throw ValueError(fmt::format("{}: the index must be >= 0, got {}", who, index));
}
}  // namespace

StepLR::StepLR(double lr0, int s, double g) : base_lr(lr0), step_size(s), gamma(g) {
  if (step_size < 1) throw ValueError(fmt::format("StepLR: step_size must be >= 1, got {}", step_size));
  if (!(base_lr >= 0)) throw ValueError(fmt::format("StepLR: base_lr must be >= 0, got {}", base_lr));
  if (!(gamma > 0)) throw ValueError(fmt::format("StepLR: gamma must be > 0, got {}", gamma));
}

double StepLR::operator()(int e) const {
  check_index("StepLR", e);
  //! [step_lr]
  return base_lr * std::pow(gamma, e / step_size);  // eta_0 gamma^floor(e / s)
  //! [step_lr]
}

CosineLR::CosineLR(double lr0, int t, double lo) : base_lr(lr0), t_max(t), eta_min(lo) {
  if (t_max < 1) throw ValueError(fmt::format("CosineLR: t_max must be >= 1, got {}", t_max));
  if (!(base_lr >= 0 && eta_min >= 0))
    throw ValueError(fmt::format("CosineLR: rates must be >= 0, got base_lr {} and eta_min {}",
                                 base_lr, eta_min));
}

double CosineLR::operator()(int e) const {
  check_index("CosineLR", e);
  //! [cosine_lr]
  const double pi = std::acos(-1.0);  // eta_min + (eta_0 - eta_min)(1 + cos(pi e / T_max)) / 2
  return eta_min + 0.5 * (base_lr - eta_min) * (1 + std::cos(pi * double(e) / double(t_max)));
  //! [cosine_lr]
}

template <class T>
std::function<void(int)> schedule_epochs(Optimizer<T>& opt, LrSchedule schedule) {
  if (!schedule) throw ValueError("schedule_epochs: empty schedule");
  return [&opt, s = std::move(schedule)](int epoch) { opt.lr = T(s(epoch - 1)); };
}

template <class T>
std::function<void(std::size_t, double)> schedule_steps(Optimizer<T>& opt, LrSchedule schedule) {
  if (!schedule) throw ValueError("schedule_steps: empty schedule");
  opt.lr = T(schedule(0));
  return [&opt, s = std::move(schedule)](std::size_t step, double) { opt.lr = T(s(int(step))); };
}

template std::function<void(int)> schedule_epochs(Optimizer<float>&, LrSchedule);
template std::function<void(int)> schedule_epochs(Optimizer<double>&, LrSchedule);
template std::function<void(std::size_t, double)> schedule_steps(Optimizer<float>&, LrSchedule);
template std::function<void(std::size_t, double)> schedule_steps(Optimizer<double>&, LrSchedule);

}  // namespace dl
