// Exercise 23.1, reference solution.
#include "exercise.hpp"

#include <xtensor/xmath.hpp>

namespace ch23 {

//! [solution]
Var tanh(Tape& tape, Var x) {
  Mat y = xt::tanh(tape.value(x));
  return tape.unary(x, std::move(y), [](const Mat&, const Mat& y_value, const Mat& dy) -> Mat {
    return dy * (1.0 - y_value * y_value);  // d tanh(x)/dx = 1 - tanh(x)^2, from the value kept
  });
}
//! [solution]

}  // namespace ch23
