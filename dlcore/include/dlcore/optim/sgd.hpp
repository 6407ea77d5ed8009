#pragma once
/// \file
/// Stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay.

#include "dlcore/optim/optimizer.hpp"

namespace dl {

/// SGD as PyTorch defines it (dampening 0). With \f$ g = \nabla L + \lambda w \f$:
///  - plain: \f$ w \leftarrow w - \eta g \f$
///  - momentum \f$ \mu \f$: \f$ v \leftarrow \mu v + g \f$ (\f$ v_1 = g_1 \f$), \f$ w \leftarrow w - \eta v \f$
///  - Nesterov: same \f$ v \f$, then \f$ w \leftarrow w - \eta (g + \mu v) \f$ (the look-ahead
///    gradient, rewritten so it needs no second evaluation; Sutskever et al. 2013).
/// Derivation: @ref ch05_gradient_descent "Chapter 5", @ref ch06_optimizers "Chapter 6".
template <class T>
class SGD : public Optimizer<T> {
 public:
  explicit SGD(T lr, T momentum = T(0), bool nesterov = false, T weight_decay = T(0));
  std::string describe() const override;
  T momentum, weight_decay;
  bool nesterov;

 protected:
  void update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) override;
  std::size_t num_slots() const override { return momentum != T(0) ? 1 : 0; }
  std::vector<std::string> slot_names() const override { return {"velocity"}; }
};

extern template class SGD<float>;
extern template class SGD<double>;

}  // namespace dl
