#include "dlcore/optim/descend.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/optim/make_optimizer.hpp"

namespace dl {

namespace {
// The positions `keep` (increasing indices) of t, with its summary fields.
Trajectory subset(const Trajectory& t, const std::vector<std::size_t>& keep) {
  Trajectory s;
  for (std::size_t i : keep) {
    s.x.push_back(t.x[i]);
    s.y.push_back(t.y[i]);
    s.f.push_back(t.f[i]);
    s.step.push_back(t.step[i]);
    s.grad_norm.push_back(t.grad_norm[i]);
  }
  s.steps_to_tol = t.steps_to_tol;
  s.steps_to_settle = t.steps_to_settle;
  s.diverged = t.diverged;
  return s;
}
}  // namespace

Trajectory Trajectory::every(std::size_t k) const {
  if (k == 0) throw ValueError("Trajectory::every: k must be positive");
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (i % k == 0 || i + 1 == x.size()) keep.push_back(i);
  return subset(*this, keep);
}

Trajectory Trajectory::first(std::size_t last_step) const {
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < x.size() && step[i] <= double(last_step); ++i) keep.push_back(i);
  return subset(*this, keep);
}

Trajectory Trajectory::log_thinned(double ratio) const {
  if (x.empty()) return *this;
  std::vector<std::size_t> keep = {0};
  for (std::size_t i : log_steps(x.size() - 1, ratio)) keep.push_back(i);
  if (keep.back() != x.size() - 1) keep.push_back(x.size() - 1);
  return subset(*this, keep);
}

bool Trajectory::ends_near(Vec2 p, double r) const {
  return !x.empty() && std::hypot(x.back() - p.x, y.back() - p.y) < r;
}

std::vector<double> Trajectory::gap(double min_value, double floor) const {
  std::vector<double> g(f.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = std::max(f[i] - min_value, floor);
  return g;
}

std::vector<double> Trajectory::distance_to(Vec2 p) const {
  std::vector<double> d(x.size());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = std::hypot(x[i] - p.x, y[i] - p.y);
  return d;
}

template <class T>
Trajectory descend(Optimizer<T>& opt, const TestFunction& fn, Vec2 start,
                   const DescendOptions& o, Rng* rng) {
  if ((o.noise.x != 0 || o.noise.y != 0) && rng == nullptr)
    throw ValueError(fmt::format("descend: gradient noise ({}, {}) needs an Rng", o.noise.x,
                                 o.noise.y));
  Trajectory t;
  //! [descend]
  Tensor1<T> w = {T(start.x), T(start.y)};  // the two "parameters" (x, y)
  Tensor1<T> g = xt::zeros<T>({2});         // their gradient
  const std::vector<ParamRef<T>> params = {param_ref<T>("w", w, g)};
  auto record = [&](std::size_t step) {
    const double x = double(w(0)), y = double(w(1)), f = fn.value(x, y);
    const Vec2 d = fn.gradient(x, y);
    t.x.push_back(x), t.y.push_back(y), t.f.push_back(f), t.step.push_back(double(step));
    t.grad_norm.push_back(std::hypot(d.x, d.y));
    if (t.steps_to_tol < 0 && f - fn.min_value < o.tol) t.steps_to_tol = long(step);
    if (!std::isfinite(f) || std::abs(x) > o.escape || std::abs(y) > o.escape) t.diverged = true;
    if (o.record_state && step > 0)
      for (const auto& s : opt.state()) t.state[s.name].push_back(double((*s.data)[0]));
  };
  record(0);
  for (std::size_t step = 1; step <= o.steps && !t.diverged; ++step) {
    if (o.stop_at_tol && t.steps_to_tol >= 0) break;
    const Vec2 d = fn.gradient(double(w(0)), double(w(1)));      // the exact gradient
    const double s = o.anneal ? 1 - double(step - 1) / double(o.steps) : 1.0;
    g(0) = T(d.x + (o.noise.x != 0 ? s * o.noise.x * rng->normal() : 0.0));  // + noise
    g(1) = T(d.y + (o.noise.y != 0 ? s * o.noise.y * rng->normal() : 0.0));
    opt.step(params);                                              // the optimizer's update
    record(step);
  }
  //! [descend]
  for (std::size_t i = t.f.size(); i-- > 0 && t.f[i] - fn.min_value < o.tol;)
    t.steps_to_settle = long(i);  // the earliest step of the final run below tol
  return t;
}

TunedPath tune_learning_rate(const std::string& name, const TestFunction& fn, Vec2 start,
                             const std::vector<double>& grid, const DescendOptions& options) {
  if (grid.empty()) throw ValueError("tune_learning_rate: empty grid of learning rates");
  TunedPath best;
  bool found = false;
  auto better = [&](const Trajectory& a, const Trajectory& b) {  // is a better than b?
    if (a.steps_to_settle >= 0 || b.steps_to_settle >= 0)
      return a.steps_to_settle >= 0 && (b.steps_to_settle < 0 || a.steps_to_settle < b.steps_to_settle);
    if (a.diverged != b.diverged) return b.diverged;
    return a.f.back() < b.f.back();
  };
  for (double lr : grid) {
    const auto opt = make_optimizer<double>(name, lr);
    Trajectory t = descend(*opt, fn, start, options);
    if (!found || better(t, best.path)) best = {lr, std::move(t)}, found = true;
  }
  return best;
}

double convergence_rate(const Trajectory& t, Vec2 p) {
  const std::size_t T = t.steps();
  if (T < 2) throw ValueError(fmt::format("convergence_rate: need at least 2 steps, got {}", T));
  const double d_half = std::hypot(t.x[T / 2] - p.x, t.y[T / 2] - p.y);
  const double d_end = std::hypot(t.x[T] - p.x, t.y[T] - p.y);
  if (d_half == 0) return 0;
  return std::pow(d_end / d_half, 1.0 / double(T - T / 2));
}

double max_distance(const Trajectory& a, const Trajectory& b) {
  if (a.x.size() != b.x.size())
    throw ShapeError(fmt::format("max_distance: paths of {} and {} points", a.x.size(), b.x.size()));
  double d = 0;
  for (std::size_t i = 0; i < a.x.size(); ++i) d = std::max(d, std::hypot(a.x[i] - b.x[i], a.y[i] - b.y[i]));
  return d;
}

std::vector<double> bias_corrected(const std::vector<double>& ema, double beta) {
  if (!(beta >= 0 && beta < 1))
    throw ValueError(fmt::format("bias_corrected: beta must be in [0, 1), got {}", beta));
  std::vector<double> out(ema.size());
  for (std::size_t t = 1; t <= ema.size(); ++t)
    out[t - 1] = ema[t - 1] / (1 - std::pow(beta, double(t)));  // m_t / (1 - beta^t)
  return out;
}

template Trajectory descend<float>(Optimizer<float>&, const TestFunction&, Vec2,
                                   const DescendOptions&, Rng*);
template Trajectory descend<double>(Optimizer<double>&, const TestFunction&, Vec2,
                                    const DescendOptions&, Rng*);

}  // namespace dl
