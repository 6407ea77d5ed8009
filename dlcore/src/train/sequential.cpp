#include "dlcore/train/sequential.hpp"

#include <fmt/format.h>

namespace dl {

template <class T>
Sequential<T>& Sequential<T>::add_module(std::unique_ptr<Module<T>> m) {
  modules_.push_back(std::move(m));
  return *this;
}

template <class T>
AnyTensor<T> Sequential<T>::forward(const AnyTensor<T>& x, const Context& ctx) {
  if (modules_.empty()) return x;
  AnyTensor<T> h = modules_[0]->forward(x, ctx);
  for (std::size_t i = 1; i < modules_.size(); ++i) h = modules_[i]->forward(h, ctx);
  return h;
}

template <class T>
Tensor2<T> Sequential<T>::forward2(const AnyTensor<T>& x, const Context& ctx) {
  AnyTensor<T> y = forward(x, ctx);
  if (auto* m = std::get_if<Tensor2<T>>(&y)) return std::move(*m);
  throw ShapeError("Sequential: the last module (" + modules_.back()->describe() +
                   ") outputs shape " + shape_str(shape_of_any(y)) + ", not a matrix (N, D)");
}

template <class T>
AnyTensor<T> Sequential<T>::backward(const AnyTensor<T>& dy) {
  if (modules_.empty()) return dy;
  AnyTensor<T> g = dy;
  for (std::size_t i = modules_.size(); i-- > 0;) {
    modules_[i]->input_grad = i > 0 || first_input_grad;
    g = modules_[i]->backward(g);
  }
  return g;
}

namespace {
// Every module's tensors (params or buffers), renamed "INDEX.NAME".
template <class T, class Get>
std::vector<ParamRef<T>> collect(const std::vector<std::unique_ptr<Module<T>>>& modules, Get get) {
  std::vector<ParamRef<T>> all;
  for (std::size_t i = 0; i < modules.size(); ++i)
    for (auto p : get(*modules[i])) {
      p.name = std::to_string(i) + "." + p.name;
      all.push_back(std::move(p));
    }
  return all;
}
}  // namespace

template <class T>
std::vector<ParamRef<T>> Sequential<T>::params() {
  return collect<T>(modules_, [](Module<T>& m) { return m.params(); });
}

template <class T>
std::vector<ParamRef<T>> Sequential<T>::buffers() {
  return collect<T>(modules_, [](Module<T>& m) { return m.buffers(); });
}

template <class T>
void Sequential<T>::zero_grad() {
  dl::zero_grad(params());
}

template <class T>
std::size_t Sequential<T>::num_params() {
  return count_params(params());
}

template <class T>
std::string Sequential<T>::summary() {
  std::string s;
  std::size_t total = 0;
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    const std::size_t n = count_params(modules_[i]->params());
    total += n;
    s += fmt::format("  {:>2}  {:<40} {:>10} params\n", i, modules_[i]->describe(), n);
  }
  s += fmt::format("  total{:>48} params\n", total);
  return s;
}

template class Sequential<float>;
template class Sequential<double>;

}  // namespace dl
