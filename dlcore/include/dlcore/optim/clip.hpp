#pragma once
/// \file
/// Gradient clipping by global norm (Pascanu, Mikolov & Bengio 2013), with PyTorch's
/// semantics (torch.nn.utils.clip_grad_norm_). Why it helps: @ref ch09_init_and_gradients
/// "Chapter 9".

#include <vector>

#include "dlcore/core/param.hpp"

namespace dl {

/// The global gradient norm \f$ \|g\| = \sqrt{\sum_p \sum_i g_{p,i}^2} \f$ over every
/// parameter of the list (as if all gradients were one vector), accumulated in double.
template <class T>
double global_grad_norm(const std::vector<ParamRef<T>>& params);

/// If \f$ \|g\| > \text{max\_norm} \f$, scale every gradient by
/// \f$ \text{max\_norm} / (\|g\| + 10^{-6}) \f$, keeping its direction; otherwise leave them.
/// Returns the norm before clipping (to log). ValueError for max_norm <= 0. As in PyTorch,
/// a NaN or infinite norm is returned and the gradients become NaN; fit() then stops on the
/// loss. Use in training: `before_step = [&] { clip_grad_norm(params, 1.0); }`.
template <class T>
double clip_grad_norm(const std::vector<ParamRef<T>>& params, double max_norm);

}  // namespace dl
