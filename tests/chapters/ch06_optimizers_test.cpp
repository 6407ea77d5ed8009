// ch06_optimizers: the quick run measures what the chapter derives (heavy-ball and Nesterov
// rates, rotation and adaptive methods, Adam's bias, decoupled weight decay), trains the MLP
// with seven optimizers and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch06 --quick measures the chapter's figures and draws its plots", "[ch06]") {
  const auto m = testing::quick_metrics("ch06_optimizers");
  auto num = [&](const std::string& key) { INFO(key); REQUIRE(m.contains(key)); return m[key].get<double>(); };
  // momentum on kappa = 100: GD 99/101, heavy ball (sqrt(k)-1)/(sqrt(k)+1), Nesterov 1 - 1/sqrt(k)
  CHECK(num("rate_gd") == Approx(99.0 / 101).epsilon(1e-6));
  CHECK(num("rate_heavy_ball") == Approx(9.0 / 11).epsilon(0.01));
  CHECK(num("rate_nesterov") == Approx(0.9).epsilon(0.01));
  // turning the bowl changes nothing for SGD and momentum, and slows the per-coordinate methods
  for (const char* name : {"sgd", "momentum", "nesterov"})
    CHECK(std::abs(num(std::string("quadratic_settle_") + name) - num(std::string("rotated_quadratic_settle_") + name)) <= 2);
  for (const char* name : {"adagrad", "rmsprop"}) {
    INFO(name);
    CHECK(num(std::string("quadratic_settle_") + name) > 0);
    CHECK(num(std::string("rotated_quadratic_settle_") + name) > 2 * num(std::string("quadratic_settle_") + name));
  }
  // Rosenbrock: momentum settles first; the saddle: plain SGD escapes last, Adagrad stalls
  CHECK(num("rosenbrock_settle_momentum") > 0);
  CHECK(num("rosenbrock_settle_momentum") < 1000);
  CHECK(num("saddle_escape_sgd") > 300);
  for (const char* name : {"momentum", "nesterov", "rmsprop", "adam"})
    CHECK(num(std::string("saddle_escape_") + name) < num("saddle_escape_sgd"));
  CHECK(num("saddle_escape_adagrad") == -1);
  // Adam's moments: m_10 is biased towards 0 by 1 - 0.9^10, the corrected ones are not
  CHECK(num("adam_m_10") < 0.8);
  CHECK(num("adam_m_hat_10") == Approx(1.0).margin(0.25));
  CHECK(num("adam_v_100") < 0.2);
  CHECK(num("adam_v_hat_100") == Approx(1.25).margin(0.35));
  // weight decay 0.5: AdamW shrinks both weights alike; L2 inside Adam zeroes the quiet one
  CHECK(num("adamw_final_x") == Approx(0.22).margin(0.1));
  CHECK(num("adamw_final_y") == Approx(0.22).margin(0.1));
  CHECK(std::abs(num("adam_l2_final_y")) < 0.02);
  CHECK(num("adam_l2_final_x") == Approx(0.22).margin(0.1));
  CHECK(num("exercise_rmsprop_distance") < 1e-12);
  // the MLP learns with every optimizer; Adam ahead of plain SGD after one short epoch
  for (const char* name : {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"}) {
    INFO(name);
    CHECK(num(std::string("mlp_loss_") + name) < 1.6);
    CHECK(num(std::string("mlp_val_accuracy_") + name) > 0.5);
  }
  CHECK(num("mlp_loss_adam") < num("mlp_loss_sgd"));
  testing::require_outputs("ch06_optimizers",
                           {"momentum_rate.svg", "quadratic_paths.svg", "rotated_quadratic_paths.svg",
                            "rosenbrock_paths.svg", "rosenbrock_gap.svg", "saddle_paths.svg",
                            "bias_correction.svg", "weight_decay.svg", "mlp_loss.svg", "mlp_accuracy.svg",
                            "mlp_loss.csv", "rosenbrock_paths.csv"});
  // the same seed gives the same figures
  testing::require_same_values(m, testing::quick_metrics("ch06_optimizers"),
                               {"mlp_loss_adam", "mlp_loss_sgd", "adam_m_10", "adamw_final_y", "rosenbrock_settle_adam"});
}

TEST_CASE("ch06 explains its flags and fails clearly without data", "[ch06][errors]") {
  testing::require_help_lists("ch06_optimizers", {"--epochs", "--train-size"});
  testing::require_missing_data_error("ch06_optimizers");
  testing::require_rejects("ch06_optimizers", "--train-size 10", "--train-size");
}
