// Exercises 15.1 and 15.2 -- your answers go here (see exercise.hpp and
// docs/ch15_augmentation.md).
#include "exercise.hpp"

namespace ch15 {

dl::Tensor2<float> shift_image(const dl::Tensor2<float>& image, int dy, int dx) {
  dl::Tensor2<float> out = image;
  // TODO: out(i, j) = image(i - dy, j - dx), or 0 when (i - dy, j - dx) is outside.
  return out;
}

float bilinear(const dl::Tensor2<float>& image, double r, double c) {
  // TODO: weight the four pixels around (r, c) by (1 - fr)(1 - fc), (1 - fr) fc, fr (1 - fc)
  // and fr fc, where fr and fc are the fractional parts of r and c.
  return 0.0f;
}

}  // namespace ch15
