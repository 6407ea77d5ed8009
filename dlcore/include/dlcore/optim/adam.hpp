#pragma once
/// \file
/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019).

#include "dlcore/optim/optimizer.hpp"

namespace dl {

/// Adam with bias correction. With \f$ g = \nabla L + \lambda w \f$ (L2, coupled):
/// \f[ m \leftarrow \beta_1 m + (1-\beta_1) g,\quad v \leftarrow \beta_2 v + (1-\beta_2) g^2, \f]
/// \f[ \hat m = m/(1-\beta_1^t),\quad \hat v = v/(1-\beta_2^t),\quad
///     w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon). \f]
/// Derivation (why the bias correction): @ref ch06_optimizers "Chapter 6".
/// Matches torch.optim.Adam (same order of operations).
template <class T>
class Adam : public Optimizer<T> {
 public:
  explicit Adam(T lr = T(1e-3), T beta1 = T(0.9), T beta2 = T(0.999), T eps = T(1e-8),
                T weight_decay = T(0));
  std::string describe() const override;
  T beta1, beta2, eps, weight_decay;

 protected:
  void update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) override;
  std::size_t num_slots() const override { return 2; }
  std::vector<std::string> slot_names() const override { return {"m", "v"}; }
  /// The Adam step on w with gradient g (no weight decay inside).
  void adam_step(T* w, const T* g, std::size_t n, T lambda, T* m, T* v) const;
};

/// AdamW: decoupled weight decay. First \f$ w \leftarrow w(1 - \eta\lambda) \f$, then the
/// Adam step on the plain gradient. Unlike L2 inside Adam, the decay is not divided by
/// \f$ \sqrt{\hat v} \f$. Matches torch.optim.AdamW (default weight_decay 0.01).
template <class T>
class AdamW : public Adam<T> {
 public:
  explicit AdamW(T lr = T(1e-3), T beta1 = T(0.9), T beta2 = T(0.999), T eps = T(1e-8),
                 T weight_decay = T(0.01));
  std::string describe() const override;

 protected:
  void update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) override;
};

extern template class Adam<float>;
extern template class Adam<double>;
extern template class AdamW<float>;
extern template class AdamW<double>;

}  // namespace dl
