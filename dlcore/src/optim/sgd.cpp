#include "dlcore/optim/sgd.hpp"

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
SGD<T>::SGD(T lr, T mom, bool nest, T wd)
    : Optimizer<T>(lr), momentum(mom), weight_decay(wd), nesterov(nest) {
  if (momentum < T(0)) throw ValueError("SGD: momentum must be >= 0");
  if (nesterov && momentum == T(0)) throw ValueError("SGD: Nesterov needs a momentum > 0");
}

template <class T>
std::string SGD<T>::describe() const {
  if (momentum == T(0)) return fmt::format("SGD(lr={})", this->lr);
  return fmt::format("SGD(lr={}, {}momentum={})", this->lr, nesterov ? "nesterov " : "", momentum);
}

template <class T>
void SGD<T>::update(T* w, const T* grad, std::size_t n, bool decay, T* const* slots) {
  const T lr = this->lr, wd = decay ? weight_decay : T(0);
  const bool first = this->steps() == 1;
  const T mu = momentum;  // a local: a member could alias w, which blocks SIMD
  const bool nest = nesterov;
  //! [sgd_update]
  for (std::size_t i = 0; i < n; ++i) {
    T g = grad[i] + wd * w[i];                      // g = dL/dw + lambda w
    if (mu != T(0)) {
      T& v = slots[0][i];
      v = first ? g : mu * v + g;                   // v = mu v + g
      g = nest ? g + mu * v : v;                    // Nesterov: look ahead along v
    }
    w[i] -= lr * g;                                 // w = w - eta g
  }
  //! [sgd_update]
}

template class SGD<float>;
template class SGD<double>;

}  // namespace dl
