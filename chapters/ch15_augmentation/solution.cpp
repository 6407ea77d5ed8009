// Exercises 15.1 and 15.2 -- reference solutions.
#include "exercise.hpp"

#include <cmath>

namespace ch15 {

dl::Tensor2<float> shift_image(const dl::Tensor2<float>& image, int dy, int dx) {
  const long H = long(image.shape(0)), W = long(image.shape(1));
  dl::Tensor2<float> out = xt::zeros<float>(image.shape());
  for (long i = 0; i < H; ++i)
    for (long j = 0; j < W; ++j) {
      const long si = i - dy, sj = j - dx;  // where pixel (i, j) comes from
      if (si >= 0 && si < H && sj >= 0 && sj < W) out(i, j) = image(si, sj);
    }
  return out;
}

float bilinear(const dl::Tensor2<float>& image, double r, double c) {
  const long H = long(image.shape(0)), W = long(image.shape(1));
  auto at = [&](long i, long j) -> double {  // 0 outside the image
    return i >= 0 && i < H && j >= 0 && j < W ? double(image(i, j)) : 0.0;
  };
  const long r0 = long(std::floor(r)), c0 = long(std::floor(c));
  const double fr = r - double(r0), fc = c - double(c0);
  return float((1 - fr) * (1 - fc) * at(r0, c0) + (1 - fr) * fc * at(r0, c0 + 1) +
               fr * (1 - fc) * at(r0 + 1, c0) + fr * fc * at(r0 + 1, c0 + 1));
}

}  // namespace ch15
