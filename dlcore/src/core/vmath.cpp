#include "dlcore/core/vmath.hpp"

#include <cmath>

#include <xsimd/xsimd.hpp>

namespace dl {

// sigma(x) = 1 / (1 + exp(-x)) in SIMD batches; exp(-x) overflows to +inf for x < -88
// (float), which gives exactly 0, so no branch is needed. The tail is scalar.
template <class T>
void sigmoid_inplace(T* p, std::size_t n) {
  using B = xsimd::batch<T>;
  const B one(T(1));
  std::size_t i = 0;
  for (; i + B::size <= n; i += B::size)
    (one / (one + xsimd::exp(-B::load_unaligned(p + i)))).store_unaligned(p + i);
  for (; i < n; ++i) p[i] = T(1) / (T(1) + std::exp(-p[i]));
}

template <class T>
void tanh_into(const T* in, T* out, std::size_t n) {
  using B = xsimd::batch<T>;
  std::size_t i = 0;
  for (; i + B::size <= n; i += B::size) xsimd::tanh(B::load_unaligned(in + i)).store_unaligned(out + i);
  for (; i < n; ++i) out[i] = std::tanh(in[i]);
}

template <class T>
void tanh_inplace(T* p, std::size_t n) {
  tanh_into(p, p, n);
}

template void sigmoid_inplace<float>(float*, std::size_t);
template void sigmoid_inplace<double>(double*, std::size_t);
template void tanh_inplace<float>(float*, std::size_t);
template void tanh_inplace<double>(double*, std::size_t);
template void tanh_into<float>(const float*, float*, std::size_t);
template void tanh_into<double>(const double*, double*, std::size_t);

}  // namespace dl
