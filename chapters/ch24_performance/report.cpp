// Chapter 24's plots and tables (see report.hpp).
#include "report.hpp"

#include <cmath>

#include <fmt/format.h>

#include <dlcore/io/files.hpp>
#include <dlcore/io/plot.hpp>

namespace ch24 {

namespace fs = std::filesystem;

void plot_ladder(const fs::path& svg, const std::vector<Curve>& curves, double peak_1core,
                 double peak_all, int cores) {
  dl::plot::Figure fig("Matrix product C = AB (n x n, float), one thread",
                       "matrix size n", "GFLOP/s (2 n^3 / time)");
  double lo = 1e300, hi = 0;
  for (const Curve& c : curves) {
    fig.linespoints(kernel_name(c.kernel), c.n, c.gflops);
    for (double v : c.n) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  fig.line("measured peak, 1 core", {lo, hi}, {peak_1core, peak_1core}, "lw 2 dt 2 lc rgb 'black'");
  if (cores > 1)
    fig.line(fmt::format("measured peak, {} cores", cores), {lo, hi}, {peak_all, peak_all},
             "lw 2 dt 3 lc rgb 'gray'");
  fig.log_x().log_y().xrange(lo / 1.2, hi * 1.2).key("outside right").size(900, 480).save(svg);
}

void plot_roofline(const fs::path& svg, const std::vector<RooflinePoint>& points, double peak_1,
                   double bw_1, double peak_all, double bw_all, int cores) {
  dl::plot::Figure fig("Roofline: attainable GFLOP/s = min(peak, intensity x bandwidth)",
                       "arithmetic intensity (FLOP per byte moved)", "GFLOP/s");
  std::vector<double> I, r1, ra;
  for (double e = -2; e <= 3.0001; e += 0.05) {
    I.push_back(std::pow(10.0, e));
    r1.push_back(roof(I.back(), peak_1, bw_1));
    ra.push_back(roof(I.back(), peak_all, bw_all));
  }
  fig.line("roof, 1 core", I, r1, "lw 2 lc rgb 'black'");
  if (cores > 1) fig.line(fmt::format("roof, {} cores", cores), I, ra, "lw 2 dt 2 lc rgb 'gray'");
  int pt = 5;
  for (const RooflinePoint& p : points) {
    fig.points(p.name, {p.work.intensity()}, {p.gflops}, fmt::format("pt {} ps 1.6", pt));
    pt = pt == 13 ? 5 : pt + 2;
  }
  fig.log_x().log_y().key("outside right").size(980, 520).save(svg);
}

void plot_profile(const fs::path& svg, const std::vector<LayerProfile>& prof,
                  const std::string& title) {
  const fs::path csv = fs::path(svg).replace_extension(".csv");
  std::string table = "index,layer,forward_ms,backward_ms,forward_gflop,backward_gflop,forward_gflops,backward_gflops\n";
  for (std::size_t i = 0; i < prof.size(); ++i) {
    const LayerProfile& p = prof[i];
    table += fmt::format("{},\"{} {}\",{:.4f},{:.4f},{:.4f},{:.4f},{:.2f},{:.2f}\n", i, i, p.layer,
                         1e3 * p.forward_seconds, 1e3 * p.backward_seconds, p.forward.flops / 1e9,
                         p.backward_flops / 1e9, p.forward_gflops(), p.backward_gflops());
  }
  dl::write_file_atomic(csv, table);
  const std::string script = fmt::format(
      "set terminal svg size 960,600 dynamic enhanced font 'sans,12' background 'white'\n"
      "set output '{}'\nset datafile separator ','\nset title '{}' noenhanced\n"
      "set style data histograms\nset style histogram clustered gap 1\n"
      "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
      "set ylabel 'milliseconds per step'\nset xlabel 'module of the network'\n"
      "set xtics rotate by 35 right noenhanced font 'sans,10'\nset grid ytics\nset key top right\n"
      "set lmargin at screen 0.2\nset bmargin at screen 0.38\n"
      "set yrange [0:*]\n"
      "plot '{}' skip 1 using 3:xtic(2) title 'forward' lc rgb '#4477aa', "
      "'' skip 1 using 4 title 'backward' lc rgb '#ee6677'\n",
      svg.string(), title, csv.string());
  dl::plot::run_gnuplot(script, svg);
}

std::string profile_table(const std::vector<LayerProfile>& prof) {
  std::string s = fmt::format("{:>3}  {:<34} {:>9} {:>9} {:>9} {:>9}\n", "#", "module",
                              "fwd ms", "bwd ms", "fwd GF/s", "bwd GF/s");
  double f = 0, b = 0;
  for (std::size_t i = 0; i < prof.size(); ++i) {
    const LayerProfile& p = prof[i];
    s += fmt::format("{:>3}  {:<34} {:>9.3f} {:>9.3f} {:>9.1f} {:>9.1f}\n", i, p.layer,
                     1e3 * p.forward_seconds, 1e3 * p.backward_seconds, p.forward_gflops(),
                     p.backward_gflops());
    f += p.forward_seconds, b += p.backward_seconds;
  }
  s += fmt::format("     {:<34} {:>9.3f} {:>9.3f}\n", "total", 1e3 * f, 1e3 * b);
  return s;
}

}  // namespace ch24
