#include "dlcore/layers/init.hpp"

#include <cmath>

#include "dlcore/core/error.hpp"

namespace dl {

namespace {
const char* const kNames[] = {"xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
                              "lecun_uniform",  "normal",        "zeros"};
}

Init parse_init(const std::string& name) {
  for (int i = 0; i < 7; ++i)
    if (name == kNames[i]) return Init(i);
  std::string all;
  for (auto n : kNames) all += std::string(all.empty() ? "" : ", ") + n;
  throw ValueError("unknown initialiser '" + name + "'; choose one of: " + all);
}

std::string to_string(Init init) { return kNames[int(init)]; }

template <class T, std::size_t N>
void init_weights(xt::xtensor<T, N>& w, Init init, std::size_t fan_in, std::size_t fan_out,
                  Rng& rng, double sigma) {
  const double in = double(fan_in), out = double(fan_out);
  double a = 0, sd = 0;  // uniform half-width or normal standard deviation
  bool uniform = true;
  switch (init) {
    case Init::xavier_uniform: a = std::sqrt(6.0 / (in + out)); break;
    case Init::xavier_normal: sd = std::sqrt(2.0 / (in + out)); uniform = false; break;
    case Init::he_uniform: a = std::sqrt(6.0 / in); break;
    case Init::he_normal: sd = std::sqrt(2.0 / in); uniform = false; break;
    case Init::lecun_uniform: a = std::sqrt(1.0 / in); break;
    case Init::normal: sd = sigma; uniform = false; break;
    case Init::zeros: w.fill(T(0)); return;
  }
  for (auto& v : w) v = T(uniform ? rng.uniform(-a, a) : rng.normal(0.0, sd));
}

#define DL_INSTANTIATE(T, N)                                                              \
  template void init_weights<T, N>(xt::xtensor<T, N>&, Init, std::size_t, std::size_t, Rng&, \
                                   double);
DL_INSTANTIATE(float, 1)
DL_INSTANTIATE(float, 2)
DL_INSTANTIATE(float, 3)
DL_INSTANTIATE(float, 4)
DL_INSTANTIATE(double, 1)
DL_INSTANTIATE(double, 2)
DL_INSTANTIATE(double, 3)
DL_INSTANTIATE(double, 4)
#undef DL_INSTANTIATE

}  // namespace dl
