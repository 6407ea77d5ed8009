#pragma once
/// \file
/// ParamRef: how optimizers, checkpoints and the gradient checker see a parameter tensor
/// without knowing which layer owns it.

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// A view of one parameter tensor and its gradient (same shape, contiguous, row-major).
/// The owning layer outlives the reference.
template <class T>
struct ParamRef {
  std::string name;                ///< e.g. "0.W" (layer index, parameter name)
  T* value = nullptr;              ///< the parameter's values
  T* grad = nullptr;               ///< its gradient, accumulated by backward()
  std::vector<std::size_t> shape;  ///< shape of both
  std::size_t size() const {
    std::size_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
  bool decay = true;  ///< whether weight decay / L1 / L2 applies (false for biases, BN)
};

/// Make a ParamRef from a parameter tensor and its gradient tensor.
template <class T, class E>
ParamRef<T> param_ref(std::string name, E& value, E& grad, bool decay = true) {
  if (value.shape() != grad.shape())
    throw std::logic_error("param_ref: " + name + " value and gradient shapes differ");
  return ParamRef<T>{std::move(name), value.data(), grad.data(), shape_of(value), decay};
}

/// Set every gradient to zero: once per step, before backward accumulates.
template <class T>
void zero_grad(const std::vector<ParamRef<T>>& params) {
  for (const auto& p : params) std::fill(p.grad, p.grad + p.size(), T(0));
}

/// Total number of scalars in a parameter list.
template <class T>
std::size_t count_params(const std::vector<ParamRef<T>>& params) {
  std::size_t n = 0;
  for (const auto& p : params) n += p.size();
  return n;
}

}  // namespace dl
