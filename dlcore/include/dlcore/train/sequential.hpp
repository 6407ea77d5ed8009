#pragma once
/// \file
/// Sequential: a network as a list of modules, run front to back and back to front.

#include <memory>
#include <string>
#include <vector>

#include "dlcore/train/module.hpp"

namespace dl {

/// A chain of modules. forward() runs them in order, caching in each; backward() runs them
/// in reverse, each returning the gradient for the one before it and accumulating its own
/// parameter gradients. Parameters are named "INDEX.NAME", e.g. "0.W".
template <class T>
class Sequential {
 public:
  Sequential() = default;
  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  /// Append a layer struct (Linear<T>, ReLU<T>, ...). Returns *this for chaining.
  template <class L>
  Sequential& add(L layer, std::string description = {}) {
    return add_module(std::make_unique<LayerModule<T, L>>(std::move(layer), std::move(description)));
  }
  Sequential& add_module(std::unique_ptr<Module<T>> m);

  AnyTensor<T> forward(const AnyTensor<T>& x, const Context& ctx = {});
  /// Forward to a matrix output (logits or predictions); ShapeError if the net ends elsewhere.
  Tensor2<T> forward2(const AnyTensor<T>& x, const Context& ctx = {});
  /// Back through every module; returns dL/dX (empty unless first_input_grad is set).
  AnyTensor<T> backward(const AnyTensor<T>& dy);

  /// Whether backward() computes the gradient for the network's own input (off by default:
  /// training never needs it; gradient checks and input-saliency plots do).
  bool first_input_grad = false;

  std::vector<ParamRef<T>> params();
  std::vector<ParamRef<T>> buffers();
  void zero_grad();
  std::size_t num_params();

  std::size_t size() const { return modules_.size(); }
  Module<T>& module(std::size_t i) { return *modules_.at(i); }
  /// The layer struct inside module i, e.g. `net.layer<Linear<float>>(0).W`.
  template <class L>
  L& layer(std::size_t i) {
    auto* m = dynamic_cast<LayerModule<T, L>*>(modules_.at(i).get());
    if (!m) throw ValueError("Sequential::layer: module " + std::to_string(i) + " is " +
                             modules_.at(i)->describe() + ", not the requested layer type");
    return m->layer;
  }

  /// One line per module with its parameter count, and the total.
  std::string summary();

 private:
  std::vector<std::unique_ptr<Module<T>>> modules_;
};

extern template class Sequential<float>;
extern template class Sequential<double>;

}  // namespace dl
