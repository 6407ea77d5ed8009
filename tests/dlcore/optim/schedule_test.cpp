#include <catch2/catch.hpp>

#include "dlcore/optim/schedule.hpp"
#include "dlcore/optim/sgd.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;

TEST_CASE("StepLR and CosineLR: hand-computed values", "[schedule]") {
  const StepLR step(1.0, 2, 0.5);
  CHECK(step(0) == 1.0);
  CHECK(step(1) == 1.0);
  CHECK(step(2) == 0.5);
  CHECK(step(5) == 0.25);
  const CosineLR cosine(1.0, 4, 0.2);
  CHECK(cosine(0) == Approx(1.0));
  CHECK(cosine(2) == Approx(0.6));  // halfway: the mean of the two rates
  CHECK(cosine(4) == Approx(0.2));
  CHECK(cosine(6) == Approx(0.6));  // and back up, with period 2 T_max
}

TEST_CASE("Schedules match PyTorch's StepLR and CosineAnnealingLR", "[schedule][pytorch]") {
  const auto step_lr = golden<double, 1>("step_lr", "lr");
  const StepLR step(0.1, 3, 0.5);
  for (std::size_t e = 0; e < step_lr.size(); ++e) {
    INFO("StepLR epoch index " << e);
    CHECK(step(int(e)) == Approx(step_lr(e)).epsilon(1e-12));
  }
  const auto cos_lr = golden<double, 1>("cosine_lr", "lr");
  REQUIRE(cos_lr.size() == 25);
  const CosineLR cosine(0.1, 10, 0.001);
  for (std::size_t e = 0; e < cos_lr.size(); ++e) {
    INFO("CosineAnnealingLR epoch index " << e);
    CHECK(cosine(int(e)) == Approx(cos_lr(e)).epsilon(1e-12));
  }
}

TEST_CASE("Schedules drive an optimizer through fit's hooks", "[schedule]") {
  SGD<float> opt(99.0f);
  const auto begin = schedule_epochs(opt, StepLR(0.1, 1, 0.1));
  begin(1);  // fit's first epoch is 1: index 0
  CHECK(opt.lr == Approx(0.1f));
  begin(3);
  CHECK(opt.lr == Approx(0.001f));
  const auto on_step = schedule_steps(opt, CosineLR(1.0, 10));
  CHECK(opt.lr == 1.0f);  // set at once for the first step
  on_step(5, 0.0);        // after step 5: the rate of step index 5
  CHECK(opt.lr == Approx(0.5f));
}

TEST_CASE("Schedules reject bad settings", "[schedule][errors]") {
  CHECK_THROWS_WITH(StepLR(0.1, 0), Catch::Contains("StepLR") && Catch::Contains("step_size"));
  CHECK_THROWS_AS(StepLR(0.1, 2, 0.0), ValueError);
  CHECK_THROWS_WITH(CosineLR(0.1, 0), Catch::Contains("t_max"));
  CHECK_THROWS_AS(CosineLR(0.1, 5, -1.0), ValueError);
  CHECK_THROWS_WITH(StepLR(0.1, 2)(-1), Catch::Contains("index"));
}
