#pragma once
// Chapter 15 helper: the grid of augmented samples (each row one image: the original, then
// each transform alone, then two draws of the composed random transform).
#include <dlcore/dlcore.hpp>

namespace ch15 {

/// Images n of X (N, 1, 28, 28), each as a row of: original, flipped, shifted, rotated,
/// scaled, and two random augmentations drawn from `augment` with `rng`.
inline void plot_augmented_samples(const std::filesystem::path& svg, const dl::Tensor4<float>& X,
                                   const std::vector<std::size_t>& rows, int max_shift,
                                   double max_degrees, double max_scale,
                                   const dl::Augment& augment, dl::Rng& rng) {
  using Transform = std::function<void(dl::Tensor4<float>&)>;
  const std::vector<std::pair<std::string, Transform>> columns = {
      {"original", [](dl::Tensor4<float>&) {}},
      {"flip", [](dl::Tensor4<float>& x) { dl::flip_horizontal(x); }},
      {fmt::format("shift ({},{})", max_shift, -max_shift),
       [&](dl::Tensor4<float>& x) { dl::shift(x, max_shift, -max_shift); }},
      {fmt::format("rotate {:g} deg", max_degrees),
       [&](dl::Tensor4<float>& x) { dl::rotate_scale(x, max_degrees); }},
      {fmt::format("scale {:g}", 1 + max_scale),
       [&](dl::Tensor4<float>& x) { dl::rotate_scale(x, 0.0, 1 + max_scale); }},
      {"random 1", [&](dl::Tensor4<float>& x) { augment(x, rng); }},
      {"random 2", [&](dl::Tensor4<float>& x) { augment(x, rng); }}};
  std::vector<dl::Tensor2<double>> images;
  std::vector<std::string> captions;
  for (std::size_t n : rows)
    for (const auto& [name, transform] : columns) {
      dl::Tensor4<float> x = dl::slice_rows(X, n, n + 1);
      transform(x);
      images.push_back(xt::cast<double>(xt::view(x, 0, 0, xt::all(), xt::all())));
      captions.push_back(name);
    }
  dl::plot::image_grid(svg, images, captions, columns.size(), "Augmented samples (one image per row)");
}

}  // namespace ch15
