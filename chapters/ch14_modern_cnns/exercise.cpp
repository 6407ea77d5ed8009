// Exercises 14.1 and 14.2 -- your answers go here (see exercise.hpp and docs/ch14_modern_cnns.md).
#include "exercise.hpp"

namespace ch14 {

xt::xtensor<double, 2> depthwise_plane(const xt::xtensor<double, 2>& x, const xt::xtensor<double, 2>& w,
                                       std::size_t stride, std::size_t pad) {
  // TODO: the output size, then for each output position the sum over the k x k window.
  (void)x, (void)w, (void)stride, (void)pad;
  return {};
}

Cost separable_cost(std::size_t c_in, std::size_t c_out, std::size_t k, std::size_t h, std::size_t w) {
  // TODO: count the depthwise and the pointwise halves.
  (void)c_in, (void)c_out, (void)k, (void)h, (void)w;
  return {};
}

}  // namespace ch14
