#include "dlcore/optim/optimizer.hpp"

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
Optimizer<T>::Optimizer(T learning_rate) : lr(learning_rate) {
  if (!(learning_rate >= T(0)))
    throw ValueError("Optimizer: learning rate must be >= 0, got " + std::to_string(learning_rate));
}

template <class T>
void Optimizer<T>::prepare(const std::vector<ParamRef<T>>& params) {
  if (param_names_.empty() && !params.empty()) {  // first use: zero state per parameter
    slots_.assign(num_slots(), {});
    for (auto& slot : slots_)
      for (const auto& p : params) slot.emplace_back(p.size(), T(0));
    for (const auto& p : params) param_names_.push_back(p.name);
  } else if (param_names_.size() != params.size()) {
    throw ValueError(describe() + ": got " + std::to_string(params.size()) +
                     " parameters, but the optimizer was set up for " +
                     std::to_string(param_names_.size()));
  }
}

template <class T>
void Optimizer<T>::step(const std::vector<ParamRef<T>>& params) {
  const std::size_t S = num_slots();
  prepare(params);
  ++t_;
  std::vector<T*> s(S);
  for (std::size_t j = 0; j < params.size(); ++j) {
    const auto& p = params[j];
    for (std::size_t k = 0; k < S; ++k) {
      if (slots_[k][j].size() != p.size())
        throw ShapeError(describe() + ": parameter " + p.name + " has " +
                         std::to_string(p.size()) + " values, its state has " +
                         std::to_string(slots_[k][j].size()));
      s[k] = slots_[k][j].data();
    }
    update(p.value, p.grad, p.size(), p.decay, s.data());
  }
}

template <class T>
std::vector<StateRef<T>> Optimizer<T>::state() {
  std::vector<StateRef<T>> out;
  const auto names = slot_names();
  for (std::size_t k = 0; k < slots_.size(); ++k)
    for (std::size_t j = 0; j < slots_[k].size(); ++j)
      out.push_back({names[k] + "/" + param_names_[j], &slots_[k][j]});
  return out;
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace dl
