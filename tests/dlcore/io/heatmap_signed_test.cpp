// A heat map of signed values: its CSV, the symmetric colour range and every value written
// in its cell, and mismatched labels refused.
#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/plot.hpp"
#include "support/scratch.hpp"

using namespace dl;

TEST_CASE("heatmap_signed writes its CSV and an SVG with a colour range symmetric about 0", "[plot]") {
  const auto d = testing::scratch_dir("io", "heatmap_signed");
  const Tensor2<double> v = {{-4.25, 0.5}, {1.0, 2.0}, {0.0, -0.126}};  // -0.126: no tie in the rounding to 2 decimals
  const bool drawn = plot::heatmap_signed(d / "scores.svg", v, {"a", "b", "c"}, {"x", "y"}, "scores", "next", "previous", 2);
  const std::string csv = read_file(d / "scores.csv");
  CHECK(csv.find("row,col,value") == 0);
  CHECK(csv.find("0,0,-4.25") != std::string::npos);
  CHECK(csv.find("2,1,-0.126") != std::string::npos);
  if (drawn) {
    const std::string svg = read_file(d / "scores.svg");
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("-4.25") != std::string::npos);  // the values in their cells
    CHECK(svg.find("-0.13") != std::string::npos);
  }
  CHECK_THROWS_AS(plot::heatmap_signed(d / "bad.svg", v, {"a", "b"}, {"x", "y"}, "t", "x", "y"), ShapeError);
}
