#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "dlcore/io/files.hpp"
#include "dlcore/io/regions.hpp"
#include "support/scratch.hpp"

using namespace dl;
namespace fs = std::filesystem;

TEST_CASE("class_regions and class_points draw a 2-D classifier", "[io]") {
  const fs::path dir = testing::scratch_dir("io", "regions");
  const Labels grid = {0, 0, 1, 0, 1, 1, 2, 2, 2, 2, 2, 2};  // 4 x 3 grid, y outer
  const Tensor2<float> X = {{-0.5f, 0.5f}, {0.5f, 0.5f}, {0.0f, -0.5f}, {0.2f, 0.1f}};
  const Labels y = {0, 1, 2, 1};
  plot::Figure fig("regions", "x1", "x2");
  plot::class_regions(fig, grid, 4, 3, -1, 1, -1, 1, 3);
  plot::class_points(fig, X, y, 3, {"a", "b", "c"});
  fig.save(dir / "regions.svg");
  REQUIRE(fs::exists(dir / "regions.csv"));
  REQUIRE(fs::exists(dir / "regions_image.csv"));
  const std::string points = read_file(dir / "regions.csv");
  CHECK_THAT(points, Catch::Contains("a,-0.5,0.5") && Catch::Contains("b,0.2") &&
                         Catch::Contains("c,0,-0.5"));
  const std::string image = read_file(dir / "regions_image.csv");
  // row 0 (y = -1): labels 0 0 1 0; the last row (y = 1) is all class 2
  CHECK_THAT(image, Catch::Contains("x,y,value\n-1,-1,0\n") && Catch::Contains("1,1,2\n"));
  CHECK(plot::class_color(1) == "#377eb8");
}

TEST_CASE("class_regions and class_points reject mismatched sizes", "[io][errors]") {
  plot::Figure fig("t", "x", "y");
  REQUIRE_THROWS_WITH(plot::class_regions(fig, Labels{0, 1, 1}, 2, 2, 0, 1, 0, 1, 2),
                      Catch::Contains("class_regions") && Catch::Contains("3 labels") &&
                          Catch::Contains("2 x 2"));
  REQUIRE_THROWS_WITH(plot::class_points(fig, Tensor2<double>(xt::zeros<double>({3, 3})), Labels{0, 1, 1}, 2),
                      Catch::Contains("class_points") && Catch::Contains("(3, 3)"));
  REQUIRE_THROWS_WITH(plot::class_points(fig, Tensor2<double>(xt::zeros<double>({3, 2})), Labels{0, 1, 4}, 2),
                      Catch::Contains("label 4"));
}
