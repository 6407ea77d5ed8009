#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "dlcore/core/compare.hpp"

using namespace dl;

TEST_CASE("relative_error: the gradient check's measure", "[core]") {
  const Tensor2<double> a = {{1.0, -2.0}, {4.0, 0.0}};
  const Tensor2<double> b = {{1.0, -2.5}, {4.0, 0.0}};
  CHECK(relative_error(a, b) == Approx(0.5 / 4.0));
  CHECK(relative_error(a, a) == 0.0);
  CHECK(relative_error(Tensor1<double>{0.0}, Tensor1<double>{0.0}) == 0.0);  // 0/0 guarded
  const Tensor2<float> af = {{1.0f, -2.0f}, {4.0f, 0.0f}};
  CHECK(relative_error(af, a) == 0.0);  // mixed precision
  const auto rows = row_relative_errors(a, b);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == Approx(0.5 / 2.5));
  CHECK(rows[1] == 0.0);
}

TEST_CASE("relative_error: a NaN or an infinity is an infinite error", "[core]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isinf(relative_error(Tensor1<double>{1.0, nan}, Tensor1<double>{1.0, 1.0})));
  CHECK(std::isinf(relative_error(Tensor1<double>{1.0, 1.0}, Tensor1<double>{HUGE_VAL, 1.0})));
}

TEST_CASE("relative_error rejects different shapes", "[core][errors]") {
  REQUIRE_THROWS_WITH(relative_error(Tensor2<double>(xt::zeros<double>({2, 3})),
                                     Tensor2<double>(xt::zeros<double>({3, 2}))),
                      Catch::Contains("relative_error") && Catch::Contains("(2, 3)") &&
                          Catch::Contains("(3, 2)"));
}
