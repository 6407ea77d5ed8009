#pragma once
// Elementwise steps shared by the residual blocks (residual.cpp, bottleneck.cpp): the ReLU
// in place, its backward mask, the sum of two branches, and sub-layer parameter names.
#include <string>
#include <utility>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl::blocks {

// relu in place over a contiguous tensor
template <class T>
void relu_inplace(Tensor4<T>& h) {
  T* p = h.data();
  for (std::size_t i = 0; i < h.size(); ++i) p[i] = p[i] > T(0) ? p[i] : T(0);
}

// g *= [a > 0]: the ReLU's backward, with a its output
template <class T>
void relu_mask(Tensor4<T>& g, const Tensor4<T>& a) {
  T* p = g.data();
  const T* q = a.data();
  for (std::size_t i = 0; i < g.size(); ++i) p[i] = q[i] > T(0) ? p[i] : T(0);
}

// a += b, elementwise (same shape)
template <class T>
void add_into(Tensor4<T>& a, const Tensor4<T>& b) {
  T* p = a.data();
  const T* q = b.data();
  for (std::size_t i = 0; i < a.size(); ++i) p[i] += q[i];
}

// append refs to all, each renamed "prefix.name"
template <class T>
void prefixed(std::vector<ParamRef<T>>& all, const std::string& prefix, std::vector<ParamRef<T>> refs) {
  for (auto& r : refs) {
    r.name = prefix + "." + r.name;
    all.push_back(std::move(r));
  }
}

}  // namespace dl::blocks
