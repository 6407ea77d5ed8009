#pragma once
/// \file
/// Parameter-norm penalties (L2 and L1) and decoupled weight decay, over a parameter list.
/// Only parameters with `ParamRef::decay` set are touched: weights, not biases or batch-norm
/// scales and shifts. Derivations (and the Bayesian reading of L2): @ref ch08_regularization
/// "Chapter 8".
///
/// Conventions (the same as PyTorch's `weight_decay` in SGD and Adam):
///  - L2: \f$ R_2(w) = \tfrac{\lambda}{2} \sum_i w_i^2 \f$, gradient \f$ \lambda w \f$;
///  - L1: \f$ R_1(w) = \lambda \sum_i |w_i| \f$, subgradient \f$ \lambda\,\mathrm{sign}(w) \f$
///    with \f$ \mathrm{sign}(0) = 0 \f$ (what autograd gives for `abs` at 0).
///
/// Use in training: FitOptions::before_step runs after backward and before the optimizer
/// step, so `before_step = [&] { add_l2_grad(params, lambda); }` trains on
/// \f$ L + R_2 \f$. Report the penalty with l2_penalty() (fit() reports the data loss only).

#include <vector>

#include "dlcore/core/param.hpp"

namespace dl {

/// \f$ \tfrac{\lambda}{2} \sum w^2 \f$ over the parameters with decay set, in double.
template <class T>
double l2_penalty(const std::vector<ParamRef<T>>& params, double lambda);

/// \f$ \lambda \sum |w| \f$ over the parameters with decay set, in double.
template <class T>
double l1_penalty(const std::vector<ParamRef<T>>& params, double lambda);

/// \f$ \nabla \mathrel{+}= \lambda w \f$: the gradient of l2_penalty(), added to each grad.
template <class T>
void add_l2_grad(const std::vector<ParamRef<T>>& params, T lambda);

/// \f$ \nabla \mathrel{+}= \lambda\,\mathrm{sign}(w) \f$ (sign(0) = 0): the subgradient of
/// l1_penalty(), added to each grad.
template <class T>
void add_l1_grad(const std::vector<ParamRef<T>>& params, T lambda);

/// Decoupled weight decay (Loshchilov & Hutter 2019): \f$ w \leftarrow (1 - \eta\lambda)\,w \f$,
/// applied to the weights directly and not through the gradient, so an adaptive optimizer
/// does not rescale it. This is the shrink dl::AdamW applies inside its update: with an
/// optimizer that has no weight decay of its own, calling it from FitOptions::before_step
/// (with the optimizer's current lr) turns Adam into AdamW exactly. For plain SGD it equals
/// SGD's (coupled) weight_decay; with momentum or Adam it does not, which is the point.
template <class T>
void decoupled_weight_decay(const std::vector<ParamRef<T>>& params, T lr, T weight_decay);

/// The fraction of decayed parameter values whose magnitude is at most `tol`: L1 drives
/// weights to (near) zero, L2 only shrinks them.
template <class T>
double fraction_near_zero(const std::vector<ParamRef<T>>& params, double tol);

}  // namespace dl
