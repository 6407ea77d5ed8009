// Data augmentation: each transform's exact effect on small hand-made images, and the
// random transforms' determinism under a seed.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>

#include "dlcore/train/augment.hpp"

using namespace dl;

namespace {
// A (1, 1, H, W) batch holding the rows given.
Tensor4<float> image(std::initializer_list<std::initializer_list<float>> rows) {
  const std::size_t H = rows.size(), W = rows.begin()->size();
  Tensor4<float> x = Tensor4<float>::from_shape({1, 1, H, W});
  std::size_t i = 0;
  for (const auto& row : rows) {
    std::size_t j = 0;
    for (float v : row) x(0, 0, i, j++) = v;
    ++i;
  }
  return x;
}
// A batch of n images of shape (C, H, W) with distinct pixel values.
Tensor4<float> ramp(std::size_t n, std::size_t C, std::size_t H, std::size_t W) {
  Tensor4<float> x = Tensor4<float>::from_shape({n, C, H, W});
  for (std::size_t k = 0; k < x.size(); ++k) x.data()[k] = float(k % 97) / 97.0f;
  return x;
}
bool same(const Tensor4<float>& a, const Tensor4<float>& b) { return a == b; }
}  // namespace

TEST_CASE("flip_horizontal mirrors each row, twice is the identity", "[augment]") {
  Tensor4<float> x = image({{1, 2, 3}, {4, 5, 6}});
  flip_horizontal(x);
  CHECK(same(x, image({{3, 2, 1}, {6, 5, 4}})));
  const Tensor4<float> r = ramp(3, 2, 5, 4);
  Tensor4<float> y = r;
  flip_horizontal(y);
  CHECK(y(1, 1, 2, 0) == r(1, 1, 2, 3));  // every channel of every image
  flip_horizontal(y);
  CHECK(same(y, r));
}

TEST_CASE("shift moves pixels by exactly (dy, dx) and fills with 0", "[augment]") {
  Tensor4<float> x = image({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  shift(x, 1, 0);
  CHECK(same(x, image({{0, 0, 0}, {1, 2, 3}, {4, 5, 6}})));
  x = image({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  shift(x, -1, 2);
  CHECK(same(x, image({{0, 0, 4}, {0, 0, 7}, {0, 0, 0}})));
  // a single pixel moves by k on a larger image, in every channel
  Tensor4<float> p = Tensor4<float>::from_shape({2, 3, 8, 8});
  p.fill(0);
  p(1, 2, 3, 4) = 1;
  shift(p, 2, -3);
  CHECK(p(1, 2, 5, 1) == 1);
  CHECK(xt::sum(p)() == 1);
  // shifting by the width or more empties the image; by 0 changes nothing
  Tensor4<float> r = ramp(2, 1, 4, 4), r0 = r;
  shift(r, 0, 0);
  CHECK(same(r, r0));
  shift(r, 0, 4);
  CHECK(xt::sum(r)() == 0);
}

TEST_CASE("rotate_scale: angle 0 and scale 1 is the identity, quarter turns are exact", "[augment]") {
  const Tensor4<float> r = ramp(2, 2, 5, 6);
  Tensor4<float> y = r;
  rotate_scale(y, 0.0, 1.0);
  CHECK(same(y, r));

  // counter-clockwise: the top-middle pixel goes to the middle of the left column
  Tensor4<float> x = image({{0, 1, 0}, {0, 0, 0}, {0, 0, 0}});
  rotate_scale(x, 90.0);
  CHECK(same(x, image({{0, 0, 0}, {1, 0, 0}, {0, 0, 0}})));
  x = image({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  rotate_scale(x, 90.0);
  CHECK(same(x, image({{3, 6, 9}, {2, 5, 8}, {1, 4, 7}})));
  // an image with four-fold symmetry is unchanged by a quarter turn
  x = image({{0, 1, 1, 0}, {1, 2, 2, 1}, {1, 2, 2, 1}, {0, 1, 1, 0}});
  const Tensor4<float> sym = x;
  rotate_scale(x, 90.0);
  CHECK(same(x, sym));
  // four quarter turns are the identity; a half turn is both flips
  Tensor4<float> z = ramp(1, 1, 6, 6);
  const Tensor4<float> z0 = z;
  for (int k = 0; k < 4; ++k) rotate_scale(z, 90.0);
  CHECK(same(z, z0));
  rotate_scale(z, 180.0);
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 6; ++j) CHECK(z(0, 0, i, j) == z0(0, 0, 5 - i, 5 - j));
}

TEST_CASE("rotate_scale interpolates bilinearly and fills with 0", "[augment]") {
  // magnify a 1 x 5 row by 2 about its centre: half-pixel positions average two neighbours
  Tensor4<float> x = image({{0, 0, 1, 0, 0}});
  rotate_scale(x, 0.0, 2.0);
  CHECK(same(x, image({{0, 0.5f, 1, 0.5f, 0}})));
  // shrink a 1 x 5 row of ones by 2: the ends read outside the image (value 0)
  x = image({{1, 1, 1, 1, 1}});
  rotate_scale(x, 0.0, 0.5);
  // output j reads column 2 + 2 (j - 2): -2, 0, 2, 4, 6
  CHECK(same(x, image({{0, 1, 1, 1, 0}})));
  // 45 degrees on a 3x3 impulse at the centre: the centre stays; the top-middle pixel reads
  // at (1 - 1/sqrt2, 1 + 1/sqrt2), a weight (1 - 1/sqrt2)^2 on the centre; corners read 0
  x = image({{0, 0, 0}, {0, 1, 0}, {0, 0, 0}});
  rotate_scale(x, 45.0);
  CHECK(x(0, 0, 1, 1) == 1.0f);
  CHECK(x(0, 0, 0, 1) == Approx(std::pow(1 - std::sqrt(0.5), 2)));
  CHECK(x(0, 0, 0, 0) == Approx(0.0).margin(1e-7));
  // bilinear_at itself
  const float img[4] = {1, 2, 3, 4};  // 2 x 2
  CHECK(bilinear_at(img, 2, 2, 0.5, 0.5) == Approx(2.5));
  CHECK(bilinear_at(img, 2, 2, 0.0, 0.25) == Approx(1.25));
  CHECK(bilinear_at(img, 2, 2, 1.0, 1.5) == Approx(2.0));  // half of pixel 4, half outside
  CHECK(bilinear_at(img, 2, 2, -1.0, 0.0) == 0.0f);
  REQUIRE_THROWS_WITH(rotate_scale(x, 10.0, 0.0), Catch::Contains("rotate_scale") && Catch::Contains("scale"));
}

TEST_CASE("Random transforms: the same seed gives the same batch, another seed another", "[augment]") {
  const Augment aug = compose({random_flip(0.5), random_shift(2), random_rotation(15.0),
                               random_scale(0.9, 1.1)});
  const Tensor4<float> x = ramp(16, 1, 28, 28);
  Tensor4<float> a = x, b = x, c = x;
  Rng r1(7), r2(7), r3(8);
  aug(a, r1);
  aug(b, r2);
  aug(c, r3);
  CHECK(same(a, b));
  CHECK(!same(a, c));
  CHECK(!same(a, x));
  CHECK(r1.uniform() == r2.uniform());  // both generators advanced alike
}

TEST_CASE("flip_vertical turns each plane upside down, with the horizontal flip a half turn", "[augment]") {
  Tensor4<float> x = image({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
  flip_vertical(x);
  CHECK(same(x, image({{10, 11, 12}, {7, 8, 9}, {4, 5, 6}, {1, 2, 3}})));
  Tensor4<float> z = ramp(3, 2, 5, 4);  // odd height: the middle row stays
  const Tensor4<float> z0 = z;
  flip_vertical(z);
  for (std::size_t n = 0; n < 3; ++n)
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(z(n, c, i, j) == z0(n, c, 4 - i, j));
  flip_horizontal(z);
  Tensor4<float> r = z0;
  rotate_scale(r, 180.0);
  CHECK(same(z, r));
  Rng rng(2);
  Tensor4<float> a = z0;
  random_vflip(1.0)(a, rng);
  flip_horizontal(a);
  CHECK(same(a, r));
  a = z0;
  random_vflip(0.0)(a, rng);
  CHECK(same(a, z0));
  REQUIRE_THROWS_WITH(random_vflip(1.5), Catch::Contains("random_vflip") && Catch::Contains("1.5"));
}

TEST_CASE("Random transforms at their limits are the exact ones", "[augment]") {
  const Tensor4<float> x = ramp(8, 2, 6, 5);
  Rng rng(1);
  Tensor4<float> a = x, f = x;
  random_flip(1.0)(a, rng);
  flip_horizontal(f);
  CHECK(same(a, f));
  a = x;
  random_flip(0.0)(a, rng);
  random_shift(0)(a, rng);
  random_rotation(0.0)(a, rng);
  random_scale(1.0, 1.0)(a, rng);
  CHECK(same(a, x));
}

TEST_CASE("random_flip flips about a fraction p of the images, random_shift stays within k", "[augment]") {
  // images whose left half is 1: flipped ones have a 1 in the last column
  Tensor4<float> x = Tensor4<float>::from_shape({2000, 1, 2, 4});
  x.fill(0);
  for (std::size_t n = 0; n < 2000; ++n)
    for (std::size_t i = 0; i < 2; ++i) x(n, 0, i, 0) = x(n, 0, i, 1) = 1;
  Rng rng(3);
  random_flip(0.3)(x, rng);
  std::size_t flipped = 0;
  for (std::size_t n = 0; n < 2000; ++n) flipped += x(n, 0, 0, 3) == 1;
  CHECK(flipped > 520);  // 600 expected, standard deviation 20
  CHECK(flipped < 680);

  // one pixel in the middle of a 9x9 image: after random_shift(2) it lies within 2 pixels
  Tensor4<float> p = Tensor4<float>::from_shape({500, 1, 9, 9});
  p.fill(0);
  for (std::size_t n = 0; n < 500; ++n) p(n, 0, 4, 4) = 1;
  random_shift(2)(p, rng);
  std::vector<int> seen(25, 0);
  for (std::size_t n = 0; n < 500; ++n)
    for (std::size_t i = 0; i < 9; ++i)
      for (std::size_t j = 0; j < 9; ++j)
        if (p(n, 0, i, j) == 1) {
          REQUIRE(i >= 2);
          REQUIRE(i <= 6);
          REQUIRE(j >= 2);
          REQUIRE(j <= 6);
          ++seen[(i - 2) * 5 + (j - 2)];
        }
  for (int s : seen) CHECK(s > 0);  // every offset in [-2, 2]^2 occurs
}

TEST_CASE("Augmentation is cheap: all four transforms of a batch of 128 in under 60 ms", "[augment]") {
  const Augment aug = compose({random_flip(), random_shift(2), random_rotation(10.0),
                               random_scale(0.9, 1.1)});
  Tensor4<float> x = ramp(128, 1, 28, 28);
  Rng rng(1);
  aug(x, rng);  // warm up
  const auto t0 = std::chrono::steady_clock::now();
  for (int k = 0; k < 10; ++k) aug(x, rng);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 10;
  INFO("ms per batch: " << ms);
  CHECK(ms < 60.0);  // about 14 ms on a busy 2-core machine; an xtensor view per pixel is 100x slower
}

TEST_CASE("Augmentation rejects bad settings with the function's name", "[augment][errors]") {
  REQUIRE_THROWS_WITH(random_flip(1.5), Catch::Contains("random_flip") && Catch::Contains("1.5"));
  REQUIRE_THROWS_WITH(random_shift(-1), Catch::Contains("random_shift"));
  REQUIRE_THROWS_WITH(random_rotation(-3), Catch::Contains("random_rotation"));
  REQUIRE_THROWS_WITH(random_scale(1.2, 0.8), Catch::Contains("random_scale"));
  REQUIRE_THROWS_WITH(compose({random_flip(), Augment{}}), Catch::Contains("step 1"));
}
