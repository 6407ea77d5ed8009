#pragma once
// Chapter 24's tables and plots: the GFLOP/s-vs-size figure with the peak line, the roofline
// with the layers placed on it, and the per-layer profile as a bar chart.
#include <filesystem>
#include <string>
#include <vector>

#include "perf.hpp"

namespace ch24 {

/// One kernel's GFLOP/s at each matrix size (empty where it was not run).
struct Curve {
  Kernel kernel;
  std::vector<double> n, gflops;
};

/// GFLOP/s vs n per kernel, log-log, with horizontal lines at the measured peaks.
void plot_ladder(const std::filesystem::path& svg, const std::vector<Curve>& curves,
                 double peak_1core, double peak_all, int cores);

/// A point of the roofline: a layer's intensity and its achieved GFLOP/s.
struct RooflinePoint {
  std::string name;
  Work work;
  double gflops = 0;
};

/// The roofs min(peak, I x bandwidth) for one core and for all, and the layers as points.
void plot_roofline(const std::filesystem::path& svg, const std::vector<RooflinePoint>& points,
                   double peak_1, double bw_1, double peak_all, double bw_all, int cores);

/// Forward and backward milliseconds of each module as clustered bars (CSV beside it).
void plot_profile(const std::filesystem::path& svg, const std::vector<LayerProfile>& prof,
                  const std::string& title);

/// The profile as a table on the terminal.
std::string profile_table(const std::vector<LayerProfile>& prof);

}  // namespace ch24
