#include "datasets/synthetic.hpp"

#include <cmath>

namespace datasets {

template <class T>
Points<T> linearly_separable(std::size_t n, dl::Rng& rng, double margin) {
  Points<T> d{dl::Tensor2<T>::from_shape({n, 2}), dl::Labels::from_shape({n})};
  const double w0 = 1.0, w1 = -0.6, b = 0.1, norm = std::hypot(w0, w1);
  for (std::size_t i = 0; i < n;) {
    const double x = rng.uniform(-1, 1), y = rng.uniform(-1, 1);
    const double s = (w0 * x + w1 * y + b) / norm;  // signed distance to the line
    if (std::abs(s) < margin / 2) continue;
    d.X(i, 0) = T(x), d.X(i, 1) = T(y);
    d.y(i) = s > 0 ? 1 : 0;
    ++i;
  }
  return d;
}

template <class T>
Points<T> xor_points(std::size_t n, dl::Rng& rng, double noise) {
  Points<T> d{dl::Tensor2<T>::from_shape({n, 2}), dl::Labels::from_shape({n})};
  for (std::size_t i = 0; i < n; ++i) {
    const double x = rng.uniform(-1, 1), y = rng.uniform(-1, 1);
    d.y(i) = (x > 0) != (y > 0) ? 1 : 0;
    d.X(i, 0) = T(x + noise * rng.normal());
    d.X(i, 1) = T(y + noise * rng.normal());
  }
  return d;
}

template <class T>
Points<T> spirals(std::size_t n_per_class, std::size_t K, dl::Rng& rng, double noise) {
  const std::size_t n = n_per_class * K;
  Points<T> d{dl::Tensor2<T>::from_shape({n, 2}), dl::Labels::from_shape({n})};
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = 0; j < n_per_class; ++j) {
      const std::size_t i = k * n_per_class + j;
      const double r = double(j) / double(n_per_class > 1 ? n_per_class - 1 : 1);  // radius 0..1
      const double t = 4.0 * double(k) + 4.0 * r + noise * rng.normal();       // angle
      d.X(i, 0) = T(r * std::sin(t));
      d.X(i, 1) = T(r * std::cos(t));
      d.y(i) = std::int32_t(k);
    }
  return d;
}

template <class T>
Points<T> moons(std::size_t n, dl::Rng& rng, double noise) {
  Points<T> d{dl::Tensor2<T>::from_shape({n, 2}), dl::Labels::from_shape({n})};
  for (std::size_t i = 0; i < n; ++i) {
    const bool upper = i % 2 == 0;
    const double t = M_PI * rng.uniform();
    const double x = upper ? std::cos(t) : 1.0 - std::cos(t);
    const double y = upper ? std::sin(t) : 0.5 - std::sin(t);
    d.X(i, 0) = T(x + noise * rng.normal());
    d.X(i, 1) = T(y + noise * rng.normal());
    d.y(i) = upper ? 0 : 1;
  }
  return d;
}

template <class T>
dl::Dataset<dl::Tensor2<T>, dl::Tensor2<T>> line_with_outliers(std::size_t n, double slope,
                                                               double intercept, double noise,
                                                               double outlier_fraction,
                                                               dl::Rng& rng) {
  dl::Dataset<dl::Tensor2<T>, dl::Tensor2<T>> d{dl::Tensor2<T>::from_shape({n, 1}),
                                                dl::Tensor2<T>::from_shape({n, 1})};
  for (std::size_t i = 0; i < n; ++i) {
    const double x = rng.uniform(0, 10);
    double y = slope * x + intercept + noise * rng.normal();
    if (rng.uniform() < outlier_fraction) y += rng.uniform(20, 40);
    d.X(i, 0) = T(x);
    d.y(i, 0) = T(y);
  }
  return d;
}

template <class T>
dl::Tensor2<T> grid_points(double x0, double x1, double y0, double y1, std::size_t nx,
                           std::size_t ny) {
  dl::Tensor2<T> g = dl::Tensor2<T>::from_shape({nx * ny, 2});
  for (std::size_t r = 0; r < ny; ++r)
    for (std::size_t c = 0; c < nx; ++c) {
      g(r * nx + c, 0) = T(x0 + (x1 - x0) * double(c) / double(nx > 1 ? nx - 1 : 1));
      g(r * nx + c, 1) = T(y0 + (y1 - y0) * double(r) / double(ny > 1 ? ny - 1 : 1));
    }
  return g;
}

#define DL_INSTANTIATE(T)                                                                    \
  template Points<T> linearly_separable<T>(std::size_t, dl::Rng&, double);                   \
  template Points<T> xor_points<T>(std::size_t, dl::Rng&, double);                           \
  template Points<T> spirals<T>(std::size_t, std::size_t, dl::Rng&, double);                 \
  template Points<T> moons<T>(std::size_t, dl::Rng&, double);                                \
  template dl::Dataset<dl::Tensor2<T>, dl::Tensor2<T>> line_with_outliers<T>(                \
      std::size_t, double, double, double, double, dl::Rng&);                                \
  template dl::Tensor2<T> grid_points<T>(double, double, double, double, std::size_t, std::size_t);
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace datasets
