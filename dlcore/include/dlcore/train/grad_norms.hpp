#pragma once
/// \file
/// Gradient norms per parameter tensor: how much gradient reaches each layer of a deep
/// network (vanishing and exploding gradients, @ref ch02_activations "Chapter 2").

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"

namespace dl {

/// The Euclidean (Frobenius) norm of one parameter's gradient, \f$ \|\nabla_\theta L\|_2 \f$,
/// accumulated in double.
template <class T>
double grad_norm(const ParamRef<T>& p);

/// grad_norm of every parameter whose name ends with `suffix`, in network order: with
/// suffix ".W", one figure per Linear layer of a Sequential ("0.W", "2.W", ...). An empty
/// suffix takes every parameter. ValueError if no parameter matches.
template <class T>
std::vector<double> grad_norms(const std::vector<ParamRef<T>>& params,
                               const std::string& suffix = "");

}  // namespace dl
