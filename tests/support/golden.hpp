#pragma once
// Golden files from PyTorch (tools/make_golden.py -> tests/golden/<case>/<name>.npy) and a
// comparison that reports the worst element.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "dlcore/io/npy.hpp"

namespace testing {

inline std::filesystem::path golden_dir(const std::string& case_name) {
  return std::filesystem::path(DLBOOK_GOLDEN_DIR) / case_name;
}

/// tests/golden/<case>/<name>.npy as a rank-N tensor of T.
template <class T, std::size_t N>
xt::xtensor<T, N> golden(const std::string& case_name, const std::string& name) {
  return dl::load_npy<T, N>(golden_dir(case_name) / (name + ".npy"));
}

/// REQUIRE |a - b| <= atol + rtol |b| elementwise (same shape), reporting the worst element.
template <class A, class B>
void require_close(const std::string& what, const A& a, const B& b, double rtol = 1e-10,
                   double atol = 1e-12) {
  INFO(what << ": shapes " << dl::shape_str(a.shape()) << " vs " << dl::shape_str(b.shape()));
  REQUIRE(dl::shape_of(a) == dl::shape_of(b));
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = double(a.data()[i]), y = double(b.data()[i]);
    const double excess = std::abs(x - y) - (atol + rtol * std::abs(y));
    if (i == 0 || excess > worst) worst = excess, at = i;
  }
  INFO(what << ": worst element " << at << ": " << double(a.data()[at]) << " vs "
            << double(b.data()[at]));
  REQUIRE(worst <= 0);
}

}  // namespace testing
