#pragma once
// Chapter 2, "Numerically stable sigmoid and softmax": the textbook formulas next to the
// stable ones, in float (the type networks train in), for inputs where the textbook ones
// overflow or underflow. Text: docs/ch02_activations.md
#include <dlcore/layers/activations.hpp>

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ch02 {

/// Everything measured, as flat metrics.json keys; prints a summary.
inline nlohmann::json naive_vs_stable() {
  using dl::Tensor2;
  //! [naive]
  const float z1 = 100, z2 = 99, z3 = 98;  // logits a float network can produce
  const float naive = std::exp(z1) / (std::exp(z1) + std::exp(z2) + std::exp(z3));  // inf/inf
  const float shifted = 1 / (1 + std::exp(z2 - z1) + std::exp(z3 - z1));  // e^(z - max): e^0 = 1
  const float library = dl::softmax_rows(Tensor2<float>{{z1, z2, z3}})(0, 0);  // shifts likewise
  const float u1 = -120, u2 = -121, u3 = -122;  // every exp underflows to 0
  const float naive_u = std::exp(u1) / (std::exp(u1) + std::exp(u2) + std::exp(u3));  // 0/0
  const float library_u = dl::softmax_rows(Tensor2<float>{{u1, u2, u3}})(0, 0);
  //! [naive]
  //! [naive_sigmoid]
  const float x = 100;
  const float naive_sig = 1 / (1 + std::exp(-x));            // 1: fine
  const float naive_sig2 = std::exp(x) / (1 + std::exp(x));  // the same function: inf/inf
  const float naive_low = 1 / (1 + std::exp(x));             // sigmoid(-100) = 1/inf = 0
  const float naive_logsig = std::log(naive_low);            // log sigmoid(-100) = log 0 = -inf
  const float stable_logsig = dl::log_softmax_rows(Tensor2<float>{{0, -x}})(0, 1);  // -100
  //! [naive_sigmoid]
  fmt::print("softmax(100, 99, 98)_1: naive {}, shifted {:.4f}, library {:.4f}\n", naive, shifted,
             library);
  fmt::print("softmax(-120, -121, -122)_1: naive {}, library {:.4f}\n", naive_u, library_u);
  fmt::print("sigmoid(100): 1/(1+e^-x) {}, e^x/(1+e^x) {}, stable {}\n", naive_sig, naive_sig2,
             dl::stable_sigmoid(x));
  fmt::print("log sigmoid(-100): naive {}, stable {}\n", naive_logsig, stable_logsig);

  nlohmann::json m;
  m["naive_softmax_large_finite"] = std::isfinite(naive);
  m["naive_softmax_very_negative_finite"] = std::isfinite(naive_u);
  m["stable_softmax_large_finite"] = std::isfinite(library) && std::isfinite(shifted);
  m["stable_softmax_very_negative_finite"] = std::isfinite(library_u);
  m["stable_softmax_large_p1"] = library;
  m["stable_softmax_very_negative_p1"] = library_u;
  m["naive_sigmoid_finite"] = std::isfinite(naive_sig) && std::isfinite(naive_low);
  m["naive_sigmoid_exp_form_finite"] = std::isfinite(naive_sig2);
  m["naive_log_sigmoid_finite"] = std::isfinite(naive_logsig);
  m["stable_sigmoid_finite"] =
      std::isfinite(dl::stable_sigmoid(x)) && std::isfinite(dl::stable_sigmoid(-x));
  m["stable_log_sigmoid_at_minus_100"] = stable_logsig;
  m["float_exp_overflows_above"] = std::log(double(std::numeric_limits<float>::max()));
  // Saturation in float: sigmoid(20) rounds to exactly 1, and the backward pass then gives 0.
  dl::Sigmoid<float>::Cache c;
  m["float_sigmoid_at_20"] = dl::Sigmoid<float>{}.forward(dl::Tensor1<float>{20.0f}, c)(0);
  m["float_sigmoid_derivative_at_20"] =
      dl::Sigmoid<float>{}.backward(dl::Tensor1<float>{1.0f}, c)(0);
  return m;
}

}  // namespace ch02
