#include "dlcore/train/augment.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "dlcore/core/error.hpp"

namespace dl {

namespace {

// One image is C planes of H x W floats, contiguous: pixel (k, i, j) at img[(k*H + i)*W + j].
struct Dims {
  std::size_t C, H, W;
  std::size_t plane() const { return H * W; }
  std::size_t image() const { return C * H * W; }
};

Dims dims_of(const Tensor4<float>& x) { return {x.shape(1), x.shape(2), x.shape(3)}; }

void flip_image(float* img, const Dims& d) {
  for (std::size_t r = 0; r < d.C * d.H; ++r) std::reverse(img + r * d.W, img + (r + 1) * d.W);
}

// x'(i, j) = x(H - 1 - i, j): swap row i with row H - 1 - i in every plane
void vflip_image(float* img, const Dims& d) {
  for (std::size_t k = 0; k < d.C; ++k) {
    float* p = img + k * d.plane();
    for (std::size_t i = 0; i < d.H / 2; ++i) std::swap_ranges(p + i * d.W, p + (i + 1) * d.W, p + (d.H - 1 - i) * d.W);
  }
}

// x'(i, j) = x(i - dy, j - dx), 0 outside; tmp holds a copy of one plane.
void shift_image(float* img, const Dims& d, int dy, int dx, std::vector<float>& tmp) {
  const long H = long(d.H), W = long(d.W);
  for (std::size_t k = 0; k < d.C; ++k) {
    float* p = img + k * d.plane();
    std::copy(p, p + d.plane(), tmp.begin());
    std::fill(p, p + d.plane(), 0.0f);
    for (long i = std::max(0L, long(dy)); i < std::min(H, H + dy); ++i) {
      const long j0 = std::max(0L, long(dx)), j1 = std::min(W, W + dx);
      if (j0 < j1) std::copy(&tmp[(i - dy) * W + j0 - dx], &tmp[(i - dy) * W + j1 - dx], p + i * W + j0);
    }
  }
}

double snap(double v) {
  const double r = std::round(v);
  return std::abs(v - r) < 1e-9 ? r : v;
}

// Output (i, j) reads the input at the rotated and scaled position (see the header).
void rotate_scale_image(float* img, const Dims& d, double degrees, double scale,
                        std::vector<float>& tmp) {
  const double theta = degrees * M_PI / 180.0;
  const double cs = std::cos(theta) / scale, sn = std::sin(theta) / scale;
  const double cy = (double(d.H) - 1) / 2, cx = (double(d.W) - 1) / 2;
  for (std::size_t k = 0; k < d.C; ++k) {
    float* p = img + k * d.plane();
    std::copy(p, p + d.plane(), tmp.begin());
    //! [rotate_scale]
    for (std::size_t i = 0; i < d.H; ++i)
      for (std::size_t j = 0; j < d.W; ++j) {
        const double u = double(j) - cx, v = double(i) - cy;  // output pixel from the centre
        const double r = snap(cy + sn * u + cs * v), c = snap(cx + cs * u - sn * v);  // its source
        p[i * d.W + j] = bilinear_at(tmp.data(), d.H, d.W, r, c);
      }
    //! [rotate_scale]
  }
}

void check_batch(const char* who, const Tensor4<float>& x) {
  if (x.size() != 0 && (x.shape(2) == 0 || x.shape(3) == 0))
    throw ShapeError(std::string(who) + ": images of shape " + shape_str(x.shape()) +
                     " have no pixels");
}

}  // namespace

float bilinear_at(const float* image, std::size_t H, std::size_t W, double r, double c) {
  const double r0 = std::floor(r), c0 = std::floor(c);
  const double fr = r - r0, fc = c - c0;
  // pixel (rr, cc), 0 outside the image
  auto at = [&](double rr, double cc) -> double {
    if (rr < 0 || cc < 0 || rr >= double(H) || cc >= double(W)) return 0.0;
    return double(image[std::size_t(rr) * W + std::size_t(cc)]);
  };
  //! [bilinear]
  double v = (1 - fr) * (1 - fc) * at(r0, c0);                 // top left
  if (fc > 0) v += (1 - fr) * fc * at(r0, c0 + 1);             // top right
  if (fr > 0) v += fr * (1 - fc) * at(r0 + 1, c0);             // bottom left
  if (fr > 0 && fc > 0) v += fr * fc * at(r0 + 1, c0 + 1);     // bottom right
  //! [bilinear]
  return float(v);
}

void flip_horizontal(Tensor4<float>& x) {
  const Dims d = dims_of(x);
  for (std::size_t n = 0; n < x.shape(0); ++n) flip_image(x.data() + n * d.image(), d);
}

void shift(Tensor4<float>& x, int dy, int dx) {
  check_batch("shift", x);
  const Dims d = dims_of(x);
  std::vector<float> tmp(d.plane());
  for (std::size_t n = 0; n < x.shape(0); ++n) shift_image(x.data() + n * d.image(), d, dy, dx, tmp);
}

void rotate_scale(Tensor4<float>& x, double degrees, double scale) {
  if (!(scale > 0) || !std::isfinite(degrees))
    throw ValueError("rotate_scale: need a finite angle and a positive scale, got " +
                     std::to_string(degrees) + " degrees and scale " + std::to_string(scale));
  check_batch("rotate_scale", x);
  const Dims d = dims_of(x);
  std::vector<float> tmp(d.plane());
  for (std::size_t n = 0; n < x.shape(0); ++n)
    rotate_scale_image(x.data() + n * d.image(), d, degrees, scale, tmp);
}

Augment random_flip(double p) {
  if (!(p >= 0 && p <= 1))
    throw ValueError("random_flip: probability must be in [0, 1], got " + std::to_string(p));
  return [p](Tensor4<float>& x, Rng& rng) {
    const Dims d = dims_of(x);
    for (std::size_t n = 0; n < x.shape(0); ++n)
      if (rng.bernoulli(p)) flip_image(x.data() + n * d.image(), d);
  };
}

void flip_vertical(Tensor4<float>& x) {
  const Dims d = dims_of(x);
  for (std::size_t n = 0; n < x.shape(0); ++n) vflip_image(x.data() + n * d.image(), d);
}

Augment random_vflip(double p) {
  if (!(p >= 0 && p <= 1))
    throw ValueError("random_vflip: probability must be in [0, 1], got " + std::to_string(p));
  return [p](Tensor4<float>& x, Rng& rng) {
    const Dims d = dims_of(x);
    for (std::size_t n = 0; n < x.shape(0); ++n)
      if (rng.bernoulli(p)) vflip_image(x.data() + n * d.image(), d);
  };
}

Augment random_shift(int max_shift) {
  if (max_shift < 0)
    throw ValueError("random_shift: max_shift must be >= 0, got " + std::to_string(max_shift));
  //! [random_shift]
  return [max_shift](Tensor4<float>& x, Rng& rng) {
    check_batch("random_shift", x);
    const Dims d = dims_of(x);
    std::vector<float> tmp(d.plane());
    const std::uint64_t span = std::uint64_t(2 * max_shift + 1);
    for (std::size_t n = 0; n < x.shape(0); ++n) {
      const int dy = int(rng.below(span)) - max_shift;
      const int dx = int(rng.below(span)) - max_shift;
      if (dy != 0 || dx != 0) shift_image(x.data() + n * d.image(), d, dy, dx, tmp);
    }
  };
  //! [random_shift]
}

Augment random_rotation(double max_degrees) {
  if (!(max_degrees >= 0 && max_degrees <= 180))
    throw ValueError("random_rotation: max_degrees must be in [0, 180], got " +
                     std::to_string(max_degrees));
  return [max_degrees](Tensor4<float>& x, Rng& rng) {
    check_batch("random_rotation", x);
    const Dims d = dims_of(x);
    std::vector<float> tmp(d.plane());
    for (std::size_t n = 0; n < x.shape(0); ++n)
      rotate_scale_image(x.data() + n * d.image(), d, rng.uniform(-max_degrees, max_degrees), 1.0,
                         tmp);
  };
}

Augment random_scale(double min_scale, double max_scale) {
  if (!(min_scale > 0 && min_scale <= max_scale && std::isfinite(max_scale)))
    throw ValueError("random_scale: need 0 < min_scale <= max_scale, got " +
                     std::to_string(min_scale) + " and " + std::to_string(max_scale));
  return [min_scale, max_scale](Tensor4<float>& x, Rng& rng) {
    check_batch("random_scale", x);
    const Dims d = dims_of(x);
    std::vector<float> tmp(d.plane());
    for (std::size_t n = 0; n < x.shape(0); ++n)
      rotate_scale_image(x.data() + n * d.image(), d, 0.0, rng.uniform(min_scale, max_scale), tmp);
  };
}

Augment compose(std::vector<Augment> steps) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (!steps[i]) throw ValueError("compose: step " + std::to_string(i) + " is empty");
  return [steps = std::move(steps)](Tensor4<float>& x, Rng& rng) {
    for (const auto& s : steps) s(x, rng);
  };
}

}  // namespace dl
