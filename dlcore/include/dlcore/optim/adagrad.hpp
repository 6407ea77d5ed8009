#pragma once
/// \file
/// Adagrad (Duchi, Hazan & Singer 2011).

#include "dlcore/optim/optimizer.hpp"

namespace dl {

/// \f$ s \leftarrow s + g^2,\quad w \leftarrow w - \eta\, g / (\sqrt{s} + \epsilon) \f$:
/// each coordinate's step shrinks with the gradient energy it has seen.
/// Derivation: @ref ch06_optimizers "Chapter 6". Matches torch.optim.Adagrad (eps 1e-10).
template <class T>
class Adagrad : public Optimizer<T> {
 public:
  explicit Adagrad(T lr = T(0.01), T eps = T(1e-10), T weight_decay = T(0));
  std::string describe() const override;
  T eps, weight_decay;

 protected:
  void update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) override;
  std::size_t num_slots() const override { return 1; }
  std::vector<std::string> slot_names() const override { return {"sum_sq"}; }
};

extern template class Adagrad<float>;
extern template class Adagrad<double>;

}  // namespace dl
