#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "datasets/idx.hpp"
#include "datasets/mnist.hpp"
#include "datasets/synthetic.hpp"
#include "dlcore/core/error.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using namespace datasets;

namespace {
fs::path scratch(const std::string& name) { return testing::scratch_dir("datasets", name); }
// A tiny IDX pair: n images of 28x28 (as load_idx_split requires), labels 0..n-1 mod 10.
void make_pair(const fs::path& dir, const std::string& prefix, std::size_t n_images,
               std::size_t n_labels, std::size_t side = 28) {
  xt::xtensor<std::uint8_t, 3> img = xt::xtensor<std::uint8_t, 3>::from_shape({n_images, side, side});
  for (std::size_t i = 0; i < img.size(); ++i) img.data()[i] = std::uint8_t(i % 256);
  xt::xtensor<std::uint8_t, 1> lab = xt::xtensor<std::uint8_t, 1>::from_shape({n_labels});
  for (std::size_t i = 0; i < n_labels; ++i) lab(i) = std::uint8_t(i % 10);
  write_idx_images(dir / (prefix + "-images-idx3-ubyte"), img);
  write_idx_labels(dir / (prefix + "-labels-idx1-ubyte"), lab);
}
std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
}  // namespace

TEST_CASE("IDX round trip and Fashion-MNIST-style loading", "[idx]") {
  const fs::path d = scratch("ok");
  make_pair(d, "train", 5, 5);
  const IdxSplit s = load_idx_split(d, Split::train);
  CHECK(s.images.shape(0) == 5);
  CHECK(s.images(1, 0, 0) == 784 % 256);
  CHECK(s.labels(4) == 4);
  const auto flat = to_flat<float>(s);
  CHECK(flat.X.shape(1) == 784);
  CHECK(flat.X(0, 5) == Approx(5.0 / 255));
  const auto img = to_images<float>(s);
  CHECK(img.X.shape(1) == 1);
  CHECK(class_names_for(d)[3] == "3");
}

TEST_CASE("IDX errors: wrong magic, truncated, count mismatch, missing file", "[idx][errors]") {
  const fs::path d = scratch("bad");
  make_pair(d, "train", 4, 4);
  const fs::path img = d / "train-images-idx3-ubyte", lab = d / "train-labels-idx1-ubyte";
  const std::string good = slurp(img);
  SECTION("wrong magic number") {
    std::ofstream(lab, std::ios::binary) << good;  // an image file where labels belong
    REQUIRE_THROWS_WITH(load_idx_split(d, Split::train),
                        Catch::Contains("train-labels-idx1-ubyte") && Catch::Contains("magic"));
  }
  SECTION("truncated data") {
    std::ofstream(img, std::ios::binary) << good.substr(0, good.size() - 5);
    REQUIRE_THROWS_WITH(read_idx_images(img), Catch::Contains("train-images-idx3-ubyte") &&
                                                  Catch::Contains("truncated"));
  }
  SECTION("truncated header") {
    std::ofstream(img, std::ios::binary) << good.substr(0, 6);
    REQUIRE_THROWS_WITH(read_idx_images(img), Catch::Contains("truncated"));
  }
  SECTION("label count differs from image count") {
    make_pair(d, "train", 4, 3);
    REQUIRE_THROWS_WITH(load_idx_split(d, Split::train),
                        Catch::Contains("3 labels") && Catch::Contains("4 images"));
  }
  SECTION("missing file") {
    REQUIRE_THROWS_WITH(load_idx_split(d, Split::test),
                        Catch::Contains("t10k-images-idx3-ubyte") && Catch::Contains("tried"));
  }
  SECTION("missing directory") {
    REQUIRE_THROWS_WITH(load_idx_split(d / "nowhere", Split::train), Catch::Contains("no such directory"));
  }
}

TEST_CASE("Debian's gzip'd Fashion-MNIST reads directly", "[idx][fashion]") {
  const fs::path dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir / "t10k-labels-idx1-ubyte.gz")) {
    WARN("dataset-fashion-mnist is not installed; skipped");
    return;
  }
  const IdxSplit s = load_idx_split(dir, Split::test);
  CHECK(s.images.shape(0) == 10000);
  CHECK(s.images.shape(1) == 28);
  CHECK(s.labels(0) == 9);  // the first test image is an ankle boot
  CHECK(class_names_for(dir)[9] == "Ankle boot");
}

TEST_CASE("Synthetic data are reproducible and labelled as documented", "[synthetic]") {
  dl::Rng a(3), b(3);
  const auto x1 = xor_points<double>(100, a), x2 = xor_points<double>(100, b);
  CHECK((x1.X == x2.X));
  for (std::size_t i = 0; i < 100; ++i)
    REQUIRE(x1.y(i) == ((x1.X(i, 0) > 0) != (x1.X(i, 1) > 0) ? 1 : 0));
  const auto s = spirals<float>(50, 3, a);
  CHECK(s.X.shape(0) == 150);
  CHECK(s.y(149) == 2);
  const auto g = grid_points<float>(-1, 1, 0, 2, 3, 2);
  CHECK(g(5, 0) == 1.0f);
  CHECK(g(5, 1) == 2.0f);
}
