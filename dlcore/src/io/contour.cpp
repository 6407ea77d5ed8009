#include "dlcore/io/contour.hpp"

#include <cmath>
#include <deque>
#include <unordered_map>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl::plot {

namespace {

// A crossing point of a level curve lies on a cell edge. Edges are numbered so that the two
// cells sharing an edge name it alike: horizontal edge (r, c) joins samples (r, c)-(r, c+1),
// vertical edge (r, c) joins (r, c)-(r+1, c).
struct Segment {
  long a, b;
};

}  // namespace

Polylines& Polylines::add(const std::vector<double>& px, const std::vector<double>& py) {
  if (px.size() != py.size())
    throw ShapeError(fmt::format("Polylines::add: {} x values but {} y values", px.size(), py.size()));
  if (pieces++ > 0) x.push_back(NAN), y.push_back(NAN);
  x.insert(x.end(), px.begin(), px.end());
  y.insert(y.end(), py.begin(), py.end());
  return *this;
}

Polylines contour_lines(const Tensor2<double>& v, double x0, double x1, double y0, double y1,
                        const std::vector<double>& levels) {
  const std::size_t R = v.shape(0), C = v.shape(1);
  if (R < 2 || C < 2)
    throw ShapeError(fmt::format("contour_lines: need a grid of at least 2 x 2 samples, got {}",
                                 shape_str(v.shape())));
  const double dx = (x1 - x0) / double(C - 1), dy = (y1 - y0) / double(R - 1);
  const long H = 0, V = long(R * C);  // key = kind + r C + c
  auto key = [&](long kind, std::size_t r, std::size_t c) { return kind + long(r * C + c); };
  Polylines out;
  for (const double level : levels) {
    // where the curve crosses an edge: linear interpolation between its two samples
    auto point = [&](long k) {
      const bool vertical = k >= V;
      const std::size_t rc = std::size_t(vertical ? k - V : k - H), r = rc / C, c = rc % C;
      const double p = v(r, c), q = vertical ? v(r + 1, c) : v(r, c + 1);
      const double t = (level - p) / (q - p);
      return vertical ? std::pair{x0 + dx * double(c), y0 + dy * (double(r) + t)}
                      : std::pair{x0 + dx * (double(c) + t), y0 + dy * double(r)};
    };
    std::vector<Segment> segs;
    for (std::size_t r = 0; r + 1 < R; ++r)
      for (std::size_t c = 0; c + 1 < C; ++c) {
        // corners: a (r, c), b (r, c+1), d (r+1, c+1), e (r+1, c); edges in that order
        const double a = v(r, c), b = v(r, c + 1), d = v(r + 1, c + 1), e = v(r + 1, c);
        const long edge[4] = {key(H, r, c), key(V, r, c + 1), key(H, r + 1, c), key(V, r, c)};
        const bool crossed[4] = {(a < level) != (b < level), (b < level) != (d < level),
                                 (e < level) != (d < level), (a < level) != (e < level)};
        long hit[4];
        int n = 0;
        for (int k = 0; k < 4; ++k)
          if (crossed[k]) hit[n++] = edge[k];
        if (n == 2) segs.push_back({hit[0], hit[1]});
        if (n == 4) {  // a saddle cell: the centre decides which corners the curves cut off
          const bool centre_like_a = (0.25 * (a + b + d + e) < level) == (a < level);
          if (centre_like_a) {  // cut off b (bottom, right) and e (top, left)
            segs.push_back({edge[0], edge[1]});
            segs.push_back({edge[2], edge[3]});
          } else {  // cut off a (bottom, left) and d (right, top)
            segs.push_back({edge[0], edge[3]});
            segs.push_back({edge[1], edge[2]});
          }
        }
      }
    // join segments that share an edge point into polylines
    std::unordered_map<long, std::vector<std::size_t>> at;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      at[segs[i].a].push_back(i);
      at[segs[i].b].push_back(i);
    }
    std::vector<bool> used(segs.size(), false);
    auto next = [&](long k) -> long {  // the unused segment at k, followed to its other end
      for (std::size_t i : at[k])
        if (!used[i]) {
          used[i] = true;
          return segs[i].a == k ? segs[i].b : segs[i].a;
        }
      return -1;
    };
    for (std::size_t i = 0; i < segs.size(); ++i) {
      if (used[i]) continue;
      used[i] = true;
      std::deque<long> line = {segs[i].a, segs[i].b};
      for (long k = next(line.back()); k >= 0; k = next(line.back())) line.push_back(k);
      for (long k = next(line.front()); k >= 0; k = next(line.front())) line.push_front(k);
      std::vector<double> px, py;
      for (long k : line) {
        const auto [cx, cy] = point(k);
        px.push_back(cx);
        py.push_back(cy);
      }
      out.add(px, py);
    }
  }
  return out;
}

Tensor2<double> sample(const TestFunction& f, std::size_t grid) {
  if (grid < 2) throw ValueError(fmt::format("sample: grid must be >= 2, got {}", grid));
  Tensor2<double> v = xt::zeros<double>({grid, grid});
  for (std::size_t r = 0; r < grid; ++r)
    for (std::size_t c = 0; c < grid; ++c)
      v(r, c) = f.value(f.x0 + (f.x1 - f.x0) * double(c) / double(grid - 1),
                        f.y0 + (f.y1 - f.y0) * double(r) / double(grid - 1));
  return v;
}

Figure& distinct_colors(Figure& fig, int first) {
  static const char* const colors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                       "#E69F00", "#56B4E9", "#000000", "#999999"};
  for (int k = 0; k < 8; ++k)
    fig.raw(fmt::format("set linetype {} lc rgb '{}' lw 2", first + k, colors[k]));
  return fig;
}

Figure contour_figure(const TestFunction& f, const std::string& title, std::size_t grid) {
  const Polylines curves = contour_lines(sample(f, grid), f.x0, f.x1, f.y0, f.y1, f.levels);
  Figure fig(title, "x", "y");
  fig.xrange(f.x0, f.x1).yrange(f.y0, f.y1).raw("set size ratio -1");
  fig.line("level curves of f", curves.x, curves.y, "lw 1 lc rgb '#b0b0b0'");
  fig.points(f.bounded_below ? "minimum" : "saddle point", {f.minimum.x}, {f.minimum.y},
             "pt 3 ps 2 lw 2 lc rgb 'black'");
  return distinct_colors(fig, 3);  // the paths are plot clauses 3, 4, ...
}

}  // namespace dl::plot
