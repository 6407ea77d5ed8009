// Exercises 9.1 and 9.2 -- your answers go here (see exercise.hpp and docs/ch09_init_and_gradients.md).
#include "exercise.hpp"

namespace ch09 {

double xavier_std(std::size_t fan_in, std::size_t fan_out) {
  (void)fan_in;
  (void)fan_out;
  // TODO: keep the variance of the signal forward and of the gradient backward.
  return 1.0;
}

double he_std(std::size_t fan_in) {
  (void)fan_in;
  // TODO: ReLU zeroes half of its inputs; compensate.
  return 1.0;
}

double clip_by_global_norm(std::vector<std::vector<double>>& grads, double max_norm) {
  (void)grads;
  (void)max_norm;
  // TODO: compute the global norm, scale the gradients when it exceeds max_norm, return it.
  return 0.0;
}

}  // namespace ch09
