#pragma once
/// \file
/// Doing something at logarithmically spaced steps: curves over a log step axis with a
/// few dozen points, however long the run (@ref ch05_gradient_descent "Chapter 5").

#include <cstddef>
#include <functional>
#include <vector>

namespace dl {

/// An on_step callback for dl::fit (FitOptions::on_step) that calls `f(step)` at steps
/// 1, 2, 3, ... and from then on whenever the step has grown by the factor `ratio`
/// (1, 2, ..., 19, 20, 22, 24, ...): evenly spaced points on a log axis; and at step `last`
/// when it is not 0 (the end of the run). ValueError unless ratio > 1.
std::function<void(std::size_t step, double loss)> every_log_step(std::function<void(std::size_t)> f,
                                                                  double ratio = 1.1,
                                                                  std::size_t last = 0);

/// The steps every_log_step calls back at, up to and including `last`.
std::vector<std::size_t> log_steps(std::size_t last, double ratio = 1.1);

}  // namespace dl
