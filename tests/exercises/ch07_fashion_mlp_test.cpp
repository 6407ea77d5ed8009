// Exercise 7.1: per-class precision, recall and F1 from a confusion matrix.
#include <catch2/catch.hpp>

#include "exercise.hpp"

TEST_CASE("Exercise 7.1: scores of a 3-class confusion matrix", "[ch07][exercise]") {
  // rows: true class, columns: predicted
  const xt::xtensor<std::int64_t, 2> C = {{5, 1, 0}, {2, 6, 2}, {0, 0, 4}};
  const ch07::Scores s = ch07::per_class_scores(C);
  REQUIRE(s.precision.size() == 3);
  CHECK(s.precision[0] == Approx(5.0 / 7));
  CHECK(s.precision[1] == Approx(6.0 / 7));
  CHECK(s.precision[2] == Approx(4.0 / 6));
  CHECK(s.recall[0] == Approx(5.0 / 6));
  CHECK(s.recall[1] == Approx(0.6));
  CHECK(s.recall[2] == Approx(1.0));
  CHECK(s.f1[1] == Approx(2 * (6.0 / 7) * 0.6 / (6.0 / 7 + 0.6)));
}

TEST_CASE("Exercise 7.1: a class never predicted scores 0, not NaN", "[ch07][exercise]") {
  const xt::xtensor<std::int64_t, 2> C = {{3, 0}, {2, 0}};
  const ch07::Scores s = ch07::per_class_scores(C);
  REQUIRE(s.precision.size() == 2);
  CHECK(s.precision[1] == 0.0);
  CHECK(s.recall[1] == 0.0);
  CHECK(s.f1[1] == 0.0);
  CHECK(s.precision[0] == Approx(0.6));
  CHECK(s.f1[0] == Approx(0.75));
}
