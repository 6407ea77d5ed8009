// Exercise 13.1, reference solution.
#include "exercise.hpp"

namespace ch13 {

//! [solution]
std::size_t conv_params(std::size_t c_in, std::size_t c_out, std::size_t k) {
  return c_out * (c_in * k * k + 1);  // each filter: c_in k^2 weights and one bias
}

std::size_t dense_params(std::size_t d_in, std::size_t d_out) {
  return d_out * (d_in + 1);  // each output: d_in weights and one bias
}
//! [solution]

}  // namespace ch13
