#pragma once
/// \file
/// Run any dl::Optimizer on a 2-D dl::TestFunction and record where it goes: the same
/// optimizer objects that train networks, driven through a ParamRef on a 2-element tensor.
/// Used by @ref ch05_gradient_descent "Chapter 5" and @ref ch06_optimizers "Chapter 6".

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "dlcore/core/rng.hpp"
#include "dlcore/train/log_steps.hpp"
#include "dlcore/optim/optimizer.hpp"
#include "dlcore/optim/test_functions.hpp"

namespace dl {

/// How dl::descend runs.
struct DescendOptions {
  std::size_t steps = 1000;  ///< number of optimizer steps
  /// Standard deviation of Gaussian noise added to each gradient coordinate (x, y):
  /// a stand-in for the noise of a mini-batch gradient. Needs an Rng when non-zero.
  Vec2 noise = {0, 0};
  /// Shrink the noise linearly from `noise` at the first step to 0 at the last, as the
  /// noise of SGD shrinks when its learning rate decays (simulated annealing).
  bool anneal = false;
  /// Steps to tolerance: the first step at which \f$ f - f^\star \f$ falls below `tol`.
  double tol = 0;
  /// Stop early once \f$ f - f^\star < \f$ tol (otherwise keep going for all `steps`).
  bool stop_at_tol = false;
  /// Stop (and mark the run diverged) when |x| or |y| exceeds this, or f is not finite.
  double escape = 1e6;
  /// Record the first coordinate of every optimizer state buffer after each step
  /// (e.g. "m/w" and "v/w" for Adam, "velocity/w" for momentum).
  bool record_state = false;

  explicit DescendOptions(std::size_t num_steps = 1000) : steps(num_steps) {}
  /// Set tol (and stop_at_tol).
  DescendOptions& with_tol(double tolerance, bool stop = false) {
    tol = tolerance, stop_at_tol = stop;
    return *this;
  }
  /// Set the gradient noise (and whether it anneals to 0).
  DescendOptions& with_noise(Vec2 sigma, bool annealed = false) {
    noise = sigma, anneal = annealed;
    return *this;
  }
  /// Set the escape box.
  DescendOptions& with_escape(double box) {
    escape = box;
    return *this;
  }
  /// Record the optimizer's state.
  DescendOptions& with_state() {
    record_state = true;
    return *this;
  }
};

/// Where an optimizer went: the start and the point after every step.
struct Trajectory {
  std::vector<double> x, y;  ///< positions, x[0], y[0] the start
  std::vector<double> f;     ///< f at each position
  std::vector<double> step;  ///< the step number of each position (0 for the start)
  std::vector<double> grad_norm;  ///< |gradient| (without noise) at each position
  /// Steps until \f$ f - f^\star \f$ < tol first held, or -1 if it never did.
  long steps_to_tol = -1;
  /// The step from which \f$ f - f^\star \f$ < tol held to the end of the run (it reached
  /// the tolerance and stayed), or -1 if the last point is not below it.
  long steps_to_settle = -1;
  bool diverged = false;  ///< left the escape box or produced a non-finite value
  /// With record_state: per state buffer, its first value after every step.
  std::map<std::string, std::vector<double>> state;

  /// The number of steps taken (the step of the last position).
  std::size_t steps() const { return step.empty() ? 0 : std::size_t(step.back()); }
  Vec2 last() const { return {x.back(), y.back()}; }
  /// Whether the last point lies within distance r of p (e.g. in a minimum's basin).
  bool ends_near(Vec2 p, double r) const;
  /// Every k-th point (and the last): markers that show how far each stretch of steps went.
  Trajectory every(std::size_t k) const;
  /// The points up to and including step `last_step`: the start of a long run.
  Trajectory first(std::size_t last_step) const;
  /// The points at steps 0, 1, 2, ... growing by `ratio` (and the last): a long path with
  /// its early detail kept, for plots over a log step axis or of a long path.
  Trajectory log_thinned(double ratio = 1.02) const;
  /// \f$ f - f^\star \f$ at each position (clipped below at `floor` for log plots).
  std::vector<double> gap(double min_value, double floor = 1e-16) const;
  /// Euclidean distance to p at each position.
  std::vector<double> distance_to(Vec2 p) const;
};

/// Run `opt` for options.steps steps on `fn` from `start`. Each step: gradient at the
/// current point (plus noise), then opt.step() on the ParamRef "w" of the 2-vector (x, y).
/// The optimizer should be fresh (its state is created on the first step).
template <class T>
Trajectory descend(Optimizer<T>& opt, const TestFunction& fn, Vec2 start,
                   const DescendOptions& options = DescendOptions(), Rng* rng = nullptr);

/// A learning rate tuned on a grid, and the path it gives.
struct TunedPath {
  double lr = 0;
  Trajectory path;
};

/// Run make_optimizer(name, lr) (optim/make_optimizer.hpp) from `start` for every lr in
/// `grid` and keep the one that settles below options.tol (reaches it and stays, see
/// Trajectory::steps_to_settle) in the fewest steps, the smaller lr on a tie; if none
/// settles, the one with the lowest final f that did not diverge.
TunedPath tune_learning_rate(const std::string& name, const TestFunction& fn, Vec2 start,
                             const std::vector<double>& grid, const DescendOptions& options);

/// The measured linear rate of convergence: the per-step factor \f$ \rho \f$ with
/// \f$ d_t \approx C \rho^t \f$, from the distances d to p over the second half of the run
/// (\f$ (d_T / d_{T/2})^{2/T} \f$). Above 1 means moving away.
double convergence_rate(const Trajectory& t, Vec2 p);

/// The largest distance between corresponding points of two paths (NaN-free paths of the
/// same length); ShapeError if their lengths differ.
double max_distance(const Trajectory& a, const Trajectory& b);

/// Bias correction of an exponential moving average started at 0:
/// \f$ \hat m_t = m_t / (1 - \beta^t) \f$ for t = 1, 2, ... (ema[0] is step 1).
std::vector<double> bias_corrected(const std::vector<double>& ema, double beta);

extern template Trajectory descend<float>(Optimizer<float>&, const TestFunction&, Vec2,
                                          const DescendOptions&, Rng*);
extern template Trajectory descend<double>(Optimizer<double>&, const TestFunction&, Vec2,
                                           const DescendOptions&, Rng*);

}  // namespace dl
