#include "dlcore/train/grad_norms.hpp"

#include <cmath>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
double grad_norm(const ParamRef<T>& p) {
  double s = 0;
  for (std::size_t i = 0; i < p.size(); ++i) s += double(p.grad[i]) * double(p.grad[i]);
  return std::sqrt(s);
}

template <class T>
std::vector<double> grad_norms(const std::vector<ParamRef<T>>& params, const std::string& suffix) {
  std::vector<double> out;
  for (const auto& p : params)
    if (p.name.size() >= suffix.size() &&
        p.name.compare(p.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(grad_norm(p));
  if (out.empty())
    throw ValueError("grad_norms: no parameter name ends with \"" + suffix + "\" (" +
                     std::to_string(params.size()) + " parameters)");
  return out;
}

template double grad_norm(const ParamRef<float>&);
template double grad_norm(const ParamRef<double>&);
template std::vector<double> grad_norms(const std::vector<ParamRef<float>>&, const std::string&);
template std::vector<double> grad_norms(const std::vector<ParamRef<double>>&, const std::string&);

}  // namespace dl
