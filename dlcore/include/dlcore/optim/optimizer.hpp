#pragma once
/// \file
/// The optimizer interface. Each optimizer reads the gradients a backward pass accumulated
/// in the ParamRefs and updates the values in place. Derivations: @ref ch05_gradient_descent
/// "Chapter 5" (SGD) and @ref ch06_optimizers "Chapter 6" (momentum to AdamW).

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"

namespace dl {

/// A named state buffer of an optimizer (for checkpoints), e.g. "m/0.W".
template <class T>
struct StateRef {
  std::string name;
  std::vector<T>* data;
};

template <class T>
class Optimizer {
 public:
  explicit Optimizer(T learning_rate);
  virtual ~Optimizer() = default;

  /// One update of every parameter from its gradient.
  void step(const std::vector<ParamRef<T>>& params);
  virtual std::string describe() const = 0;

  T lr;  ///< learning rate, public so a schedule can set it between steps

  /// Number of step() calls so far (t in the formulas; Adam's bias correction uses it).
  std::size_t steps() const { return t_; }
  /// Allocate the zero state for these parameters (step() does it on first use; a
  /// checkpoint restore calls it before filling state()).
  void prepare(const std::vector<ParamRef<T>>& params);
  /// Every state buffer, named, for checkpoints; set_steps() restores t.
  std::vector<StateRef<T>> state();
  void set_steps(std::size_t t) { t_ = t; }

 protected:
  /// Update one parameter tensor of n values. `slots[k]` is this parameter's k-th state
  /// buffer (zero-initialised on the first step).
  virtual void update(T* w, const T* g, std::size_t n, bool decay, T* const* slots) = 0;
  /// How many state buffers per parameter (momentum: 1, Adam: 2).
  virtual std::size_t num_slots() const = 0;
  /// Names of the slots, for state().
  virtual std::vector<std::string> slot_names() const = 0;

 private:
  std::size_t t_ = 0;
  std::vector<std::string> param_names_;
  std::vector<std::vector<std::vector<T>>> slots_;  // [slot][param][value]
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;

}  // namespace dl
