// Exercise 16.1: the nearest-class-mean classifier on features.
#include <catch2/catch.hpp>

#include "exercise.hpp"

TEST_CASE("Exercise 16.1: each row gets the class of the nearest mean", "[ch16][exercise]") {
  // class 0 around (0, 0), class 1 around (4, 0), class 2 around (0, 4)
  const dl::Tensor2<float> F = {{-1, 0}, {1, 0}, {4, 1}, {4, -1}, {0, 3}, {0, 5}, {0, 4}};
  const dl::Labels y = {0, 0, 1, 1, 2, 2, 2};
  const dl::Tensor2<float> Q = {{3.5f, 0.5f}, {0.2f, -0.1f}, {-0.5f, 3.0f}, {1.9f, 0.0f}, {2.1f, 0.0f}};
  const dl::Labels p = ch16::nearest_class_mean(F, y, 3, Q);
  REQUIRE(p.size() == 5);
  CHECK(p(0) == 1);
  CHECK(p(1) == 0);
  CHECK(p(2) == 2);
  CHECK(p(3) == 0);  // 1.9 is nearer 0 than 4
  CHECK(p(4) == 1);
}

TEST_CASE("Exercise 16.1: the mean counts every example of a class", "[ch16][exercise]") {
  // class 1's mean is (1+2+6)/3 = 3, class 0's is 0: a query at 1.4 is nearer 0 than 3,
  // though it is nearer class 1's first example (1) than class 0's (0)
  const dl::Tensor2<float> F = {{0}, {1}, {2}, {6}};
  const dl::Labels y = {0, 1, 1, 1};
  const dl::Tensor2<float> Q = {{1.4f}, {1.6f}, {5.0f}};
  const dl::Labels p = ch16::nearest_class_mean(F, y, 2, Q);
  REQUIRE(p.size() == 3);
  CHECK(p(0) == 0);
  CHECK(p(1) == 1);
  CHECK(p(2) == 1);
}
