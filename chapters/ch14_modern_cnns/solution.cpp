// Exercises 14.1 and 14.2 -- reference solution.
#include "exercise.hpp"

namespace ch14 {

xt::xtensor<double, 2> depthwise_plane(const xt::xtensor<double, 2>& x, const xt::xtensor<double, 2>& w,
                                       std::size_t stride, std::size_t pad) {
  const long H = long(x.shape(0)), W = long(x.shape(1)), k = long(w.shape(0));
  const long Ho = (H + 2 * long(pad) - k) / long(stride) + 1;
  const long Wo = (W + 2 * long(pad) - k) / long(stride) + 1;
  xt::xtensor<double, 2> y = xt::zeros<double>({std::size_t(Ho), std::size_t(Wo)});
  for (long oh = 0; oh < Ho; ++oh)
    for (long ow = 0; ow < Wo; ++ow)
      for (long i = 0; i < k; ++i)
        for (long j = 0; j < k; ++j) {
          const long ih = oh * long(stride) + i - long(pad), iw = ow * long(stride) + j - long(pad);
          if (ih >= 0 && ih < H && iw >= 0 && iw < W) y(oh, ow) += w(i, j) * x(ih, iw);
        }
  return y;
}

Cost separable_cost(std::size_t c_in, std::size_t c_out, std::size_t k, std::size_t h, std::size_t w) {
  Cost c;
  c.params = (c_in * k * k + c_in) + (c_out * c_in + c_out);  // depthwise W, b; pointwise W, b
  c.madds = h * w * c_in * k * k + h * w * c_out * c_in;      // k^2 per channel, C_in per output
  return c;
}

}  // namespace ch14
