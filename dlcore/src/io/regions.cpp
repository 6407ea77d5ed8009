#include "dlcore/io/regions.hpp"

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"

namespace dl::plot {

namespace {
// ColorBrewer "Set1" for points and "Pastel1" for the regions behind them.
const char* const kDark[] = {"#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00",
                             "#a65628", "#f781bf", "#999999", "#ffff33", "#000000"};
const char* const kLight[] = {"#fbb4ae", "#b3cde3", "#ccebc5", "#decbe4", "#fed9a6",
                              "#e5d8bd", "#fddaec", "#f2f2f2", "#ffffcc", "#dddddd"};
constexpr std::size_t kColors = 10;
}  // namespace

std::string class_color(std::size_t k) { return kDark[k % kColors]; }

Figure& class_regions(Figure& fig, const Labels& grid_labels, std::size_t nx, std::size_t ny,
                      double x0, double x1, double y0, double y1, std::size_t K) {
  if (grid_labels.size() != nx * ny)
    throw ShapeError(fmt::format("plot::class_regions: {} labels for a {} x {} grid",
                                 grid_labels.size(), nx, ny));
  if (K == 0) throw ValueError("plot::class_regions: K must be positive");
  Tensor2<double> image = Tensor2<double>::from_shape({ny, nx});
  std::copy(grid_labels.begin(), grid_labels.end(), image.begin());  // row r is y_r: same order
  std::string palette = "defined (";
  for (std::size_t k = 0; k < std::max<std::size_t>(K, 2); ++k)
    palette += fmt::format("{}{} '{}'", k ? ", " : "", k, kLight[std::min(k, K - 1) % kColors]);
  palette += ")";
  fig.image(image, x0, x1, y0, y1, palette);
  fig.raw(fmt::format("set cbrange [0:{}]", std::max<std::size_t>(K, 2) - 1));
  return fig.xrange(x0, x1).yrange(y0, y1);
}

template <class T>
Figure& class_points(Figure& fig, const Tensor2<T>& X, const Labels& y, std::size_t K,
                     const std::vector<std::string>& names) {
  check_cols("plot::class_points", "X", X, 2);
  check_labels("plot::class_points", y, X.shape(0), K);
  if (!names.empty() && names.size() != K)
    throw ShapeError(fmt::format("plot::class_points: {} names for {} classes", names.size(), K));
  for (std::size_t k = 0; k < K; ++k) {
    std::vector<double> xs, ys;
    for (std::size_t i = 0; i < y.size(); ++i)
      if (std::size_t(y(i)) == k) xs.push_back(double(X(i, 0))), ys.push_back(double(X(i, 1)));
    fig.points(names.empty() ? fmt::format("class {}", k) : names[k], xs, ys,
               fmt::format("pt 7 ps 0.45 lc rgb '{}'", class_color(k)));
  }
  return fig;
}

template Figure& class_points<float>(Figure&, const Tensor2<float>&, const Labels&, std::size_t,
                                     const std::vector<std::string>&);
template Figure& class_points<double>(Figure&, const Tensor2<double>&, const Labels&, std::size_t,
                                      const std::vector<std::string>&);

}  // namespace dl::plot
