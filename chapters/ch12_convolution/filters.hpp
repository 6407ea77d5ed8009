#pragma once
// Chapter 12 helpers: hand-made 3x3 filters, and turning feature maps and filters into
// images for plots.
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>

namespace ch12 {

/// A named 3x3 filter.
struct Filter {
  std::string name;
  dl::Tensor2<float> k;  // (3, 3)
};

/// Sobel x (responds to vertical edges), Sobel y (horizontal edges), a Laplacian (spots and
/// outlines in every direction) and a 3x3 box blur.
inline std::vector<Filter> hand_made_filters() {
  return {{"Sobel x", {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}},
          {"Sobel y", {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}},
          {"Laplacian", {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}},
          {"blur", {{1.f / 9, 1.f / 9, 1.f / 9}, {1.f / 9, 1.f / 9, 1.f / 9}, {1.f / 9, 1.f / 9, 1.f / 9}}}};
}

/// Channel c of image n of a (N, C, H, W) batch, scaled to [-1, 1] by its largest |value|
/// (for the diverging palette: red negative, white zero, blue positive).
template <class T>
dl::Tensor2<double> map_image(const dl::Tensor4<T>& x, std::size_t n, std::size_t c) {
  const std::size_t H = x.shape(2), W = x.shape(3);
  dl::Tensor2<double> img = dl::Tensor2<double>::from_shape({H, W});
  double m = 1e-12;
  for (std::size_t i = 0; i < H; ++i)
    for (std::size_t j = 0; j < W; ++j) m = std::max(m, std::abs(double(x(n, c, i, j))));
  for (std::size_t i = 0; i < H; ++i)
    for (std::size_t j = 0; j < W; ++j) img(i, j) = double(x(n, c, i, j)) / m;
  return img;
}

}  // namespace ch12
