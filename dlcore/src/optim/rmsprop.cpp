#include "dlcore/optim/rmsprop.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
RMSprop<T>::RMSprop(T lr, T r, T e, T wd) : Optimizer<T>(lr), rho(r), eps(e), weight_decay(wd) {
  if (!(rho >= T(0) && rho < T(1))) throw ValueError("RMSprop: rho must be in [0, 1)");
}

template <class T>
std::string RMSprop<T>::describe() const {
  return fmt::format("RMSprop(lr={}, rho={})", this->lr, rho);
}

template <class T>
void RMSprop<T>::update(T* w, const T* grad, std::size_t n, bool decay, T* const* slots) {
  const T lr = this->lr, wd = decay ? weight_decay : T(0);
  T* s = slots[0];
  const T r = rho, e = eps;  // locals: members could alias w, which blocks SIMD
  //! [rmsprop_update]
  for (std::size_t i = 0; i < n; ++i) {
    const T g = grad[i] + wd * w[i];
    s[i] = r * s[i] + (T(1) - r) * g * g;       // s = rho s + (1 - rho) g^2
    w[i] -= lr * g / (std::sqrt(s[i]) + e);     // w = w - eta g / (sqrt(s) + eps)
  }
  //! [rmsprop_update]
}

template class RMSprop<float>;
template class RMSprop<double>;

}  // namespace dl
