#pragma once
/// \file
/// RMSprop (Tieleman & Hinton 2012, lecture 6e).

#include "dlcore/optim/optimizer.hpp"

namespace dl {

/// \f$ s \leftarrow \rho s + (1-\rho) g^2,\quad w \leftarrow w - \eta\, g / (\sqrt{s} + \epsilon) \f$:
/// Adagrad with a leaky average, so old gradients are forgotten.
/// Derivation: @ref ch06_optimizers "Chapter 6". Matches torch.optim.RMSprop
/// (alpha = rho = 0.99, eps 1e-8, no momentum, not centered).
template <class T>
class RMSprop : public Optimizer<T> {
 public:
  explicit RMSprop(T lr = T(0.01), T rho = T(0.99), T eps = T(1e-8), T weight_decay = T(0));
  std::string describe() const override;
  T rho, eps, weight_decay;

 protected:
  void update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) override;
  std::size_t num_slots() const override { return 1; }
  std::vector<std::string> slot_names() const override { return {"mean_sq"}; }
};

extern template class RMSprop<float>;
extern template class RMSprop<double>;

}  // namespace dl
