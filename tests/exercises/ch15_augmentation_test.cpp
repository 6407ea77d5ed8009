// Exercises 15.1 and 15.2: a shift with zero fill and bilinear interpolation, by hand.
#include <catch2/catch.hpp>

#include "exercise.hpp"

namespace {
const dl::Tensor2<float> kImage = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
}

TEST_CASE("Exercise 15.1: a shift down and right fills with 0", "[ch15][exercise]") {
  const dl::Tensor2<float> expected = {{0, 0, 0}, {0, 1, 2}, {0, 4, 5}};
  const dl::Tensor2<float> out = ch15::shift_image(kImage, 1, 1);
  REQUIRE(out.shape(0) == 3);
  REQUIRE(out.shape(1) == 3);
  CHECK((out == expected));
}

TEST_CASE("Exercise 15.1: negative shifts, and shifts that empty the image", "[ch15][exercise]") {
  const dl::Tensor2<float> expected = {{6, 0, 0}, {9, 0, 0}, {0, 0, 0}};
  CHECK((ch15::shift_image(kImage, -1, -2) == expected));
  const dl::Tensor2<float> wide = {{1, 2, 3, 4}};
  const dl::Tensor2<float> moved = {{0, 0, 0, 1}};
  CHECK((ch15::shift_image(wide, 0, 3) == moved));
  CHECK((ch15::shift_image(kImage, 3, 0) == dl::Tensor2<float>(xt::zeros<float>({3, 3}))));
}

TEST_CASE("Exercise 15.2: bilinear interpolation inside the image", "[ch15][exercise]") {
  CHECK(ch15::bilinear(kImage, 1.0, 1.0) == Approx(5.0));        // on a pixel
  CHECK(ch15::bilinear(kImage, 0.5, 0.5) == Approx(3.0));        // (1 + 2 + 4 + 5) / 4
  CHECK(ch15::bilinear(kImage, 0.0, 1.25) == Approx(2.25));      // along a row
  CHECK(ch15::bilinear(kImage, 1.75, 0.0) == Approx(6.25));      // along a column
  CHECK(ch15::bilinear(kImage, 1.5, 0.25) == Approx(0.75 * 5.5 + 0.25 * 6.5));
}

TEST_CASE("Exercise 15.2: pixels outside the image count as 0", "[ch15][exercise]") {
  CHECK(ch15::bilinear(kImage, 2.5, 2.0) == Approx(4.5));   // half of 9
  CHECK(ch15::bilinear(kImage, -0.5, 0.0) == Approx(0.5));  // half of 1
  CHECK(ch15::bilinear(kImage, 2.5, 2.5) == Approx(2.25));  // a quarter of 9
  CHECK(ch15::bilinear(kImage, -1.0, 1.0) + 1.0f == Approx(1.0));
  CHECK(ch15::bilinear(kImage, 1.0, 2.0) == Approx(6.0));
}
