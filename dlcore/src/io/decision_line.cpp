#include "dlcore/io/decision_line.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace dl::plot {

Segment line_in_box(double a, double b, double c, double x0, double x1, double y0, double y1) {
  Segment s;
  if (a == 0 && b == 0) return s;
  // Where the line crosses each of the four edges, kept if the crossing lies on the edge.
  std::vector<std::pair<double, double>> pts;
  const double tol = 1e-12 * std::max({1.0, std::abs(x0), std::abs(x1), std::abs(y0), std::abs(y1)});
  auto keep = [&](double x, double y) {
    if (x < x0 - tol || x > x1 + tol || y < y0 - tol || y > y1 + tol) return;
    for (const auto& p : pts)
      if (std::abs(p.first - x) <= tol && std::abs(p.second - y) <= tol) return;  // a corner twice
    pts.emplace_back(x, y);
  };
  if (b != 0) {  // y = -(a x + c) / b on the left and right edges
    keep(x0, -(a * x0 + c) / b);
    keep(x1, -(a * x1 + c) / b);
  }
  if (a != 0) {  // x = -(b y + c) / a on the bottom and top edges
    keep(-(b * y0 + c) / a, y0);
    keep(-(b * y1 + c) / a, y1);
  }
  if (pts.size() < 2) return s;  // misses the box, or only touches a corner
  std::sort(pts.begin(), pts.end());
  s.x = {pts.front().first, pts.back().first};
  s.y = {pts.front().second, pts.back().second};
  return s;
}

}  // namespace dl::plot
