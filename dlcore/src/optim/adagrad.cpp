#include "dlcore/optim/adagrad.hpp"

#include <cmath>

#include <fmt/format.h>

namespace dl {

template <class T>
Adagrad<T>::Adagrad(T lr, T e, T wd) : Optimizer<T>(lr), eps(e), weight_decay(wd) {}

template <class T>
std::string Adagrad<T>::describe() const {
  return fmt::format("Adagrad(lr={})", this->lr);
}

template <class T>
void Adagrad<T>::update(T* w, const T* grad, std::size_t n, bool decay, T* const* slots) {
  const T lr = this->lr, wd = decay ? weight_decay : T(0);
  T* s = slots[0];
  const T e = eps;  // a local: a member could alias w, which blocks SIMD
  //! [adagrad_update]
  for (std::size_t i = 0; i < n; ++i) {
    const T g = grad[i] + wd * w[i];
    s[i] += g * g;                              // s = s + g^2
    w[i] -= lr * g / (std::sqrt(s[i]) + e);     // w = w - eta g / (sqrt(s) + eps)
  }
  //! [adagrad_update]
}

template class Adagrad<float>;
template class Adagrad<double>;

}  // namespace dl
