#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "dlcore/train/metrics.hpp"

using namespace dl;

TEST_CASE("Accuracy, confusion matrix, precision, recall, F1 by hand", "[metrics]") {
  const Labels truth = {0, 0, 1, 1, 1, 2};
  const Labels pred = {0, 1, 1, 1, 0, 2};
  CHECK(accuracy(pred, truth) == Approx(4.0 / 6));
  const auto C = confusion_matrix(pred, truth, 3);
  CHECK(C(0, 0) == 1);
  CHECK(C(0, 1) == 1);
  CHECK(C(1, 0) == 1);
  CHECK(C(1, 1) == 2);
  CHECK(C(2, 2) == 1);
  const ClassReport r = class_report(C);
  CHECK(r.precision[0] == Approx(0.5));    // predicted 0: rows 0 and 4, one right
  CHECK(r.recall[1] == Approx(2.0 / 3));   // true 1: three, two found
  CHECK(r.precision[1] == Approx(2.0 / 3));
  CHECK(r.f1[1] == Approx(2.0 / 3));
  CHECK(r.f1[2] == Approx(1.0));
  CHECK(r.support[1] == 3);
  CHECK(r.accuracy == Approx(4.0 / 6));
  REQUIRE_THROWS_AS(accuracy(Labels{0}, truth), ShapeError);
}

TEST_CASE("The numerical gradient check catches a wrong gradient", "[gradcheck]") {
  double x[2] = {1.0, 2.0};
  auto f = [&] { return x[0] * x[0] + 3 * x[1]; };
  const double right[2] = {2.0, 3.0}, wrong[2] = {2.0, 3.01};
  CHECK(numerical_gradient_check("x", x, right, 2, f).rel_error < 1e-8);
  const GradCheck bad = numerical_gradient_check("x", x, wrong, 2, f);
  CHECK(bad.rel_error > 1e-3);
  CHECK(bad.worst == 1);
  CHECK(x[0] == 1.0);  // restored
  const double nan_grad[2] = {2.0, std::nan("")};
  const GradCheck with_nan = numerical_gradient_check("x", x, nan_grad, 2, f);
  CHECK_FALSE(with_nan.ok());  // a NaN gradient must never pass
  CHECK(with_nan.worst == 1);
}
