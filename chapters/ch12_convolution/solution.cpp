// Exercises 12.1 and 12.2, reference solutions.
#include "exercise.hpp"

namespace ch12 {

//! [output_size]
std::size_t output_size(std::size_t n, std::size_t k, std::size_t stride, std::size_t pad) {
  return (n + 2 * pad - k) / stride + 1;  // floor((n + 2p - k) / s) + 1
}
//! [output_size]

//! [conv2d_direct]
xt::xtensor<double, 4> conv2d_direct(const xt::xtensor<double, 4>& X,
                                     const xt::xtensor<double, 4>& W,
                                     const xt::xtensor<double, 1>& b, std::size_t stride,
                                     std::size_t pad) {
  const std::size_t N = X.shape(0), C = X.shape(1), H = X.shape(2), Wd = X.shape(3);
  const std::size_t O = W.shape(0), kh = W.shape(2), kw = W.shape(3);
  const std::size_t Ho = output_size(H, kh, stride, pad), Wo = output_size(Wd, kw, stride, pad);
  xt::xtensor<double, 4> Y = xt::xtensor<double, 4>::from_shape({N, O, Ho, Wo});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t o = 0; o < O; ++o)
      for (std::size_t h = 0; h < Ho; ++h)
        for (std::size_t w = 0; w < Wo; ++w) {
          double s = b(o);
          for (std::size_t c = 0; c < C; ++c)
            for (std::size_t i = 0; i < kh; ++i)
              for (std::size_t j = 0; j < kw; ++j) {
                const long r = long(h * stride + i) - long(pad), q = long(w * stride + j) - long(pad);
                if (r >= 0 && r < long(H) && q >= 0 && q < long(Wd))  // outside: a padding zero
                  s += W(o, c, i, j) * X(n, c, std::size_t(r), std::size_t(q));
              }
          Y(n, o, h, w) = s;
        }
  return Y;
}
//! [conv2d_direct]

}  // namespace ch12
