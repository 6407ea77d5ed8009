// Exercises 12.1 (output size) and 12.2 (a direct convolution), checked by hand-computed
// values and against dlcore's im2col Conv2D.
#include <catch2/catch.hpp>

#include <dlcore/layers/conv2d.hpp>

#include "exercise.hpp"

namespace {
xt::xtensor<double, 4> filled(std::array<std::size_t, 4> shape, std::uint64_t seed) {
  dl::Rng rng(seed);
  xt::xtensor<double, 4> t = xt::xtensor<double, 4>::from_shape(shape);
  for (auto& v : t) v = rng.normal();
  return t;
}
}  // namespace

TEST_CASE("Exercise 12.1: output sizes", "[ch12][exercise]") {
  CHECK(ch12::output_size(28, 5, 1, 0) == 24);  // LeNet-5's first convolution
  CHECK(ch12::output_size(28, 3, 1, 1) == 28);  // "same"
  CHECK(ch12::output_size(24, 2, 2, 0) == 12);  // 2x2 max pooling
  CHECK(ch12::output_size(9, 3, 2, 1) == 5);
  CHECK(ch12::output_size(8, 3, 2, 1) == 4);    // floor
}

TEST_CASE("Exercise 12.2: a 3x3 input by hand", "[ch12][exercise]") {
  const xt::xtensor<double, 4> X = {{{{1, 0, 2}, {0, 1, 0}, {3, 0, 1}}}};
  const xt::xtensor<double, 4> W = {{{{1, 2}, {3, 4}}}};
  const xt::xtensor<double, 1> b = {0.5};
  const auto Y = ch12::conv2d_direct(X, W, b, 1, 0);
  REQUIRE(Y.dimension() == 4);
  REQUIRE(Y.size() == 4);
  CHECK(Y(0, 0, 0, 0) == Approx(5.5));   // 1*1 + 0*2 + 0*3 + 1*4 + 0.5: no kernel flip
  CHECK(Y(0, 0, 0, 1) == Approx(7.5));
  CHECK(Y(0, 0, 1, 0) == Approx(11.5));
  CHECK(Y(0, 0, 1, 1) == Approx(5.5));
}

TEST_CASE("Exercise 12.2: agrees with Conv2D for padding, stride and channels",
          "[ch12][exercise]") {
  struct Config { std::size_t n, c_in, c_out, h, w, k, s, p; };
  for (const Config c : {Config{2, 3, 4, 7, 6, 3, 1, 1}, Config{1, 2, 3, 9, 8, 3, 2, 1},
                         Config{2, 1, 2, 12, 11, 5, 2, 2}}) {
    INFO("C_in " << c.c_in << " C_out " << c.c_out << " k " << c.k << " s " << c.s << " p " << c.p);
    dl::Rng rng(3);
    dl::Conv2D<double> conv(c.c_in, c.c_out, c.k, rng, c.s, c.p);
    for (std::size_t o = 0; o < c.c_out; ++o) conv.b(o) = 0.1 * double(o + 1);
    const auto X = filled({c.n, c.c_in, c.h, c.w}, 4);
    dl::Conv2D<double>::Cache cache;
    const auto expected = conv.forward(X, cache);
    const auto Y = ch12::conv2d_direct(X, conv.W, conv.b, c.s, c.p);
    REQUIRE(Y.shape() == expected.shape());
    for (std::size_t i = 0; i < Y.size(); ++i) REQUIRE(Y.data()[i] == Approx(expected.data()[i]));
  }
}
