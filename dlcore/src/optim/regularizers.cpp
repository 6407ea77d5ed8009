#include "dlcore/optim/regularizers.hpp"

#include <cmath>

#include "dlcore/core/error.hpp"

namespace dl {

namespace {
void check_lambda(const char* who, double lambda) {
  if (!(lambda >= 0) || !std::isfinite(lambda))
    throw ValueError(std::string(who) + ": the coefficient must be finite and >= 0, got " +
                     std::to_string(lambda));
}
}  // namespace

template <class T>
double l2_penalty(const std::vector<ParamRef<T>>& params, double lambda) {
  check_lambda("l2_penalty", lambda);
  double s = 0;
  for (const auto& p : params)
    if (p.decay)
      for (std::size_t i = 0; i < p.size(); ++i) s += double(p.value[i]) * double(p.value[i]);
  return 0.5 * lambda * s;  // (lambda/2) sum w^2
}

template <class T>
double l1_penalty(const std::vector<ParamRef<T>>& params, double lambda) {
  check_lambda("l1_penalty", lambda);
  double s = 0;
  for (const auto& p : params)
    if (p.decay)
      for (std::size_t i = 0; i < p.size(); ++i) s += std::abs(double(p.value[i]));
  return lambda * s;  // lambda sum |w|
}

template <class T>
void add_l2_grad(const std::vector<ParamRef<T>>& params, T lambda) {
  check_lambda("add_l2_grad", double(lambda));
  for (const auto& p : params) {
    if (!p.decay) continue;
    const T* w = p.value;
    T* g = p.grad;
    //! [l2_grad]
    for (std::size_t i = 0; i < p.size(); ++i) g[i] += lambda * w[i];  // d/dw (lambda/2) w^2
    //! [l2_grad]
  }
}

template <class T>
void add_l1_grad(const std::vector<ParamRef<T>>& params, T lambda) {
  check_lambda("add_l1_grad", double(lambda));
  for (const auto& p : params) {
    if (!p.decay) continue;
    const T* w = p.value;
    T* g = p.grad;
    //! [l1_grad]
    for (std::size_t i = 0; i < p.size(); ++i)  // lambda sign(w), sign(0) = 0
      g[i] += w[i] > T(0) ? lambda : w[i] < T(0) ? -lambda : T(0);
    //! [l1_grad]
  }
}

template <class T>
void decoupled_weight_decay(const std::vector<ParamRef<T>>& params, T lr, T weight_decay) {
  check_lambda("decoupled_weight_decay", double(weight_decay));
  check_lambda("decoupled_weight_decay (learning rate)", double(lr));
  //! [decoupled_decay]
  const T shrink = T(1) - lr * weight_decay;  // w = w (1 - lr lambda), as in dl::AdamW
  for (const auto& p : params)
    if (p.decay)
      for (std::size_t i = 0; i < p.size(); ++i) p.value[i] *= shrink;
  //! [decoupled_decay]
}

template <class T>
double fraction_near_zero(const std::vector<ParamRef<T>>& params, double tol) {
  std::size_t n = 0, small = 0;
  for (const auto& p : params)
    if (p.decay)
      for (std::size_t i = 0; i < p.size(); ++i, ++n) small += std::abs(double(p.value[i])) <= tol;
  if (n == 0) throw ValueError("fraction_near_zero: no parameter has decay set");
  return double(small) / double(n);
}

#define DL_REGULARIZERS(T)                                                          \
  template double l2_penalty(const std::vector<ParamRef<T>>&, double);              \
  template double l1_penalty(const std::vector<ParamRef<T>>&, double);              \
  template void add_l2_grad(const std::vector<ParamRef<T>>&, T);                    \
  template void add_l1_grad(const std::vector<ParamRef<T>>&, T);                    \
  template void decoupled_weight_decay(const std::vector<ParamRef<T>>&, T, T);      \
  template double fraction_near_zero(const std::vector<ParamRef<T>>&, double);
DL_REGULARIZERS(float)
DL_REGULARIZERS(double)

}  // namespace dl
