#include "dlcore/optim/adam.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"

namespace dl {

template <class T>
Adam<T>::Adam(T lr, T b1, T b2, T e, T wd)
    : Optimizer<T>(lr), beta1(b1), beta2(b2), eps(e), weight_decay(wd) {
  if (!(b1 >= T(0) && b1 < T(1) && b2 >= T(0) && b2 < T(1)))
    throw ValueError("Adam: betas must be in [0, 1)");
}

template <class T>
std::string Adam<T>::describe() const {
  return fmt::format("Adam(lr={}, betas=({}, {}))", this->lr, beta1, beta2);
}

template <class T>
void Adam<T>::adam_step(T* w, const T* grad, std::size_t n, T lambda, T* m, T* v) const {
  const double t = double(this->steps());
  const T bc1 = T(1 - std::pow(double(beta1), t));             // 1 - beta1^t
  const T bc2_sqrt = T(std::sqrt(1 - std::pow(double(beta2), t)));  // sqrt(1 - beta2^t)
  const T step = this->lr / bc1;
  const T b1 = beta1, b2 = beta2, e = eps;  // locals: members could alias w, and block SIMD
  //! [adam_update]
  for (std::size_t i = 0; i < n; ++i) {
    const T g = grad[i] + lambda * w[i];
    m[i] = b1 * m[i] + (T(1) - b1) * g;                 // m = b1 m + (1 - b1) g
    v[i] = b2 * v[i] + (T(1) - b2) * g * g;             // v = b2 v + (1 - b2) g^2
    // w -= lr m_hat / (sqrt(v_hat) + eps), with m_hat = m/bc1, sqrt(v_hat) = sqrt(v)/bc2_sqrt
    w[i] -= step * m[i] / (std::sqrt(v[i]) / bc2_sqrt + e);
  }
  //! [adam_update]
}

// Split between the pool's threads where BLAS is single-threaded (the CNN chapters: the
// pool's workers are awake and the update is a serial stretch of every step otherwise); not
// where OpenBLAS runs threads of its own, which still spin after a product and would compete
// with a woken worker (Chapter 7's MLP: 1.8 s per epoch instead of 0.9, Chapter 24). Blocks
// of 1024 values: every value takes the same vectorised path as in one call, bit for bit.
template <class T>
void Adam<T>::update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) {
  const T lambda = decay ? weight_decay : T(0);
  constexpr std::size_t kBlock = 1024;
  if (n < kMinParallelElementsOwnCores || num_threads() != 1 || parallel_threads() == 1) {
    adam_step(w, g, n, lambda, slots[0], slots[1]);
    return;
  }
  parallel_for((n + kBlock - 1) / kBlock, [&](std::size_t b0, std::size_t b1, std::size_t) {
    const std::size_t i0 = b0 * kBlock, i1 = std::min(n, b1 * kBlock);
    adam_step(w + i0, g + i0, i1 - i0, lambda, slots[0] + i0, slots[1] + i0);
  });
}

template <class T>
AdamW<T>::AdamW(T lr, T b1, T b2, T e, T wd) : Adam<T>(lr, b1, b2, e, wd) {}

template <class T>
std::string AdamW<T>::describe() const {
  return fmt::format("AdamW(lr={}, weight_decay={})", this->lr, this->weight_decay);
}

template <class T>
void AdamW<T>::update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) {
  //! [adamw_decay]
  if (decay) {
    const T shrink = T(1) - this->lr * this->weight_decay;  // w = w (1 - lr lambda)
    for (std::size_t i = 0; i < n; ++i) w[i] *= shrink;
  }
  //! [adamw_decay]
  this->adam_step(w, g, n, T(0), slots[0], slots[1]);
}

template class Adam<float>;
template class Adam<double>;
template class AdamW<float>;
template class AdamW<double>;

}  // namespace dl
