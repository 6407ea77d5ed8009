// ch02_activations: the quick run's derivatives agree with central differences, sigmoid
// gradients vanish through the deep stack while ReLU's do not, the naive formulas overflow
// and the stable ones do not, and every plot is drawn.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch02 --quick: derivatives, vanishing gradients and stable formulas", "[ch02]") {
  const auto m = testing::quick_metrics("ch02_activations");
  for (const char* f : {"sigmoid", "tanh", "relu", "leaky_relu"}) {
    INFO(f);
    CHECK(m[std::string(f) + "_derivative_check_error"].get<double>() < 1e-8);
  }
  CHECK(m["sigmoid_max_derivative"].get<double>() == Approx(0.25));
  CHECK(m["tanh_max_derivative"].get<double>() == Approx(1.0));
  CHECK(m["relu_max_derivative"].get<double>() == Approx(1.0));
  CHECK(m["softmax_gradcheck_rel_error"].get<double>() < 1e-6);
  CHECK(m["exercise_leaky_relu_matches"] == true);
  // through 10 layers: sigmoid loses about 1/4 per layer, ReLU and tanh keep their gradient
  CHECK(m["sigmoid_grad_first_over_last"].get<double>() < 1e-4);
  CHECK(m["sigmoid_grad_per_layer"].get<double>() < 0.3);
  CHECK(m["relu_grad_first_over_last"].get<double>() > 0.1);
  CHECK(m["tanh_grad_first_over_last"].get<double>() > 0.1);
  // naive formulas break, stable ones do not
  CHECK(m["naive_softmax_large_finite"] == false);
  CHECK(m["naive_softmax_very_negative_finite"] == false);
  CHECK(m["stable_softmax_large_finite"] == true);
  CHECK(m["stable_softmax_very_negative_finite"] == true);
  CHECK(m["stable_softmax_large_p1"].get<double>() == Approx(1.0 / (1.0 + std::exp(-1.0) + std::exp(-2.0))).epsilon(1e-6));
  CHECK(m["naive_sigmoid_exp_form_finite"] == false);
  CHECK(m["naive_log_sigmoid_finite"] == false);
  CHECK(m["stable_sigmoid_finite"] == true);
  CHECK(m["stable_log_sigmoid_at_minus_100"].get<double>() == Approx(-100.0));
  CHECK(m["float_sigmoid_derivative_at_20"].get<double>() == 0.0);  // saturated to exactly 1 in float
  CHECK(m["softmax_max_prob_coldest"].get<double>() > 0.999);
  CHECK(m["softmax_max_prob_hottest"].get<double>() < 0.3);
  testing::require_outputs("ch02_activations",
                           {"sigmoid.svg", "tanh.svg", "relu.svg", "leaky_relu.svg", "sigmoid.csv",
                            "softmax_temperature.svg", "softmax_temperature.csv", "gradient_norms.svg",
                            "gradient_norms.csv"});
}

TEST_CASE("ch02 is reproducible and rejects bad flags", "[ch02]") {
  const auto a = testing::quick_metrics("ch02_activations", "--seed 5 --depth 6");
  const auto b = testing::quick_metrics("ch02_activations", "--seed 5 --depth 6");
  CHECK(a["depth"] == 6);
  testing::require_same_values(a, b, {"sigmoid_grad_first_over_last"});
  testing::require_help_lists("ch02_activations", {"--out", "--seed", "--quick", "--depth"});
  CHECK(a["sigmoid_grad_first_over_last"].get<double>() < 1e-2);  // five layers of about 1/4
  testing::require_rejects("ch02_activations", "--depth 1", "--depth");
}
