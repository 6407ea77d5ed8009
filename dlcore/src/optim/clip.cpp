#include "dlcore/optim/clip.hpp"

#include <cmath>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
double global_grad_norm(const std::vector<ParamRef<T>>& params) {
  double s = 0;
  for (const auto& p : params)
    for (std::size_t i = 0; i < p.size(); ++i) s += double(p.grad[i]) * double(p.grad[i]);
  return std::sqrt(s);
}

template <class T>
double clip_grad_norm(const std::vector<ParamRef<T>>& params, double max_norm) {
  if (!(max_norm > 0))
    throw ValueError("clip_grad_norm: max_norm must be > 0, got " + std::to_string(max_norm));
  //! [clip_grad_norm]
  const double norm = global_grad_norm(params);        // ||g|| over all parameters
  const double coef = max_norm / (norm + 1e-6);        // PyTorch's clip coefficient
  if (coef < 1.0 || !std::isfinite(norm))              // only ever shrink
    for (const auto& p : params)
      for (std::size_t i = 0; i < p.size(); ++i) p.grad[i] *= T(coef);  // g = g max_norm / ||g||
  return norm;
  //! [clip_grad_norm]
}

template double global_grad_norm(const std::vector<ParamRef<float>>&);
template double global_grad_norm(const std::vector<ParamRef<double>>&);
template double clip_grad_norm(const std::vector<ParamRef<float>>&, double);
template double clip_grad_norm(const std::vector<ParamRef<double>>&, double);

}  // namespace dl
