#include "dlcore/train/log_steps.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

namespace {
// The next step after `step` on the grid: at least one more, else `ratio` times as many.
std::size_t next_log_step(std::size_t step, double ratio) {
  return std::max(step + 1, std::size_t(double(step) * ratio));
}
}  // namespace

std::function<void(std::size_t, double)> every_log_step(std::function<void(std::size_t)> f,
                                                        double ratio, std::size_t last) {
  if (!(ratio > 1)) throw ValueError(fmt::format("every_log_step: ratio must be > 1, got {}", ratio));
  auto next = std::make_shared<std::size_t>(1);
  return [f = std::move(f), ratio, next, last](std::size_t step, double) {
    if (step < *next && step != last) return;
    f(step);
    *next = next_log_step(step, ratio);
  };
}

std::vector<std::size_t> log_steps(std::size_t last, double ratio) {
  if (!(ratio > 1)) throw ValueError(fmt::format("log_steps: ratio must be > 1, got {}", ratio));
  std::vector<std::size_t> s;
  for (std::size_t k = 1; k <= last; k = next_log_step(k, ratio)) s.push_back(k);
  return s;
}

}  // namespace dl
