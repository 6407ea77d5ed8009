#include "dlcore/layers/pool.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/conv2d.hpp"

namespace dl {

namespace {

struct PoolGeometry {
  std::size_t N, C, H, W, Ho, Wo;
};

PoolGeometry pool_geometry(const std::string& who, const std::vector<std::size_t>& s,
                           std::size_t k, std::size_t stride, std::size_t pad) {
  if (s.size() != 4)
    throw ShapeError(who + ": input X has shape " + shape_str(s) + " but expected (N, C, H, W)");
  const std::string where = who + " on input " + shape_str(s);
  return {s[0], s[1], s[2], s[3], conv_out_size(where, s[2], k, stride, pad),
          conv_out_size(where, s[3], k, stride, pad)};
}

void check_pool_args(const std::string& who, std::size_t k, std::size_t padding) {
  if (k == 0) throw ValueError(who + ": kernel must be positive");
  if (padding > k / 2)
    throw ValueError(who + ": padding " + std::to_string(padding) +
                     " is more than half the kernel " + std::to_string(k));
}

std::string pool_name(const char* kind, std::size_t k, std::size_t s, std::size_t p) {
  std::string d = std::string(kind) + "(" + std::to_string(k) + "x" + std::to_string(k) +
                  ", stride " + std::to_string(s);
  if (p) d += ", pad " + std::to_string(p);
  return d + ")";
}

}  // namespace

template <class T>
MaxPool2D<T>::MaxPool2D(std::size_t k, std::size_t s, std::size_t p)
    : kernel(k), stride(s ? s : k), padding(p) {
  check_pool_args("MaxPool2D", k, p);
}

namespace {
// 2x2 windows at stride 2 without padding: the same comparisons in the same order as the
// general loop below (so the same winner, NaN included), unrolled. One row of outputs: the
// windows over input rows r0 and r1 = r0 + W, which start at flat index `row` of the map.
template <class T>
void maxpool_2x2_row(const T* r0, const T* r1, std::size_t row, std::size_t W, std::size_t Wo,
                     T* out, std::uint32_t* arg) {
  for (std::size_t ow = 0; ow < Wo; ++ow) {
    const std::size_t w = 2 * ow;
    T best = r0[w];
    std::uint32_t at = std::uint32_t(row + w);
    if (r0[w + 1] > best || std::isnan(r0[w + 1])) best = r0[w + 1], at = std::uint32_t(row + w + 1);
    if (r1[w] > best || std::isnan(r1[w])) best = r1[w], at = std::uint32_t(row + W + w);
    if (r1[w + 1] > best || std::isnan(r1[w + 1])) best = r1[w + 1], at = std::uint32_t(row + W + w + 1);
    out[ow] = best;
    arg[ow] = at;
  }
}

#if defined(__AVX512F__)
// The same for float, 16 outputs at a time: a row pair's 32 inputs are loaded (masked past the
// row's end) and split into even and odd columns, then the same three steps, "the candidate
// wins if greater or NaN", pick each lane's winner and its index.
template <>
void maxpool_2x2_row<float>(const float* r0, const float* r1, std::size_t row, std::size_t W,
                            std::size_t Wo, float* out, std::uint32_t* arg) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512i lane2 = _mm512_slli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 1);
  auto mask = [](std::size_t n) { return n >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1); };
  const int offset[3] = {1, int(W), int(W) + 1};
  for (std::size_t ow = 0; ow < Wo; ow += 16) {
    const std::size_t n = std::min<std::size_t>(16, Wo - ow), w = 2 * ow;
    const __mmask16 lo = mask(2 * n), hi = mask(2 * n > 16 ? 2 * n - 16 : 0), keep = mask(n);
    const __m512 a0 = _mm512_maskz_loadu_ps(lo, r0 + w), a1 = _mm512_maskz_loadu_ps(hi, r0 + w + 16);
    const __m512 b0 = _mm512_maskz_loadu_ps(lo, r1 + w), b1 = _mm512_maskz_loadu_ps(hi, r1 + w + 16);
    __m512 best = _mm512_permutex2var_ps(a0, even, a1);  // r0[w + 2 l]
    __m512i at = _mm512_add_epi32(_mm512_set1_epi32(int(row + w)), lane2);
    const __m512 cand[3] = {_mm512_permutex2var_ps(a0, odd, a1),   // r0[w + 2 l + 1]
                            _mm512_permutex2var_ps(b0, even, b1),  // r1[w + 2 l]
                            _mm512_permutex2var_ps(b0, odd, b1)};  // r1[w + 2 l + 1]
    for (int c = 0; c < 3; ++c) {
      const __mmask16 wins = _mm512_cmp_ps_mask(cand[c], best, _CMP_GT_OQ) |
                             _mm512_cmp_ps_mask(cand[c], cand[c], _CMP_UNORD_Q);  // greater, or NaN
      best = _mm512_mask_blend_ps(wins, best, cand[c]);
      at = _mm512_mask_blend_epi32(wins, at, _mm512_add_epi32(
          _mm512_set1_epi32(int(row + w) + offset[c]), lane2));
    }
    _mm512_mask_storeu_ps(out + ow, keep, best);
    _mm512_mask_storeu_epi32(arg + ow, keep, at);
  }
}
#endif

template <class T>
void maxpool_2x2(const T* x, T* y, std::uint32_t* argmax, std::size_t m0, std::size_t m1,
                 PoolGeometry g) {
  for (std::size_t m = m0; m < m1; ++m) {
    const T* in = x + m * g.H * g.W;
    for (std::size_t oh = 0; oh < g.Ho; ++oh) {
      const std::size_t row = 2 * oh * g.W;
      maxpool_2x2_row(in + row, in + row + g.W, row, g.W, g.Wo, y + (m * g.Ho + oh) * g.Wo,
                      argmax + (m * g.Ho + oh) * g.Wo);
    }
  }
}

// Max pooling of the (H, W) maps m0..m1-1 (one per image and channel): y and the flat index
// of each window's winner. Everything by value, so the compiler keeps it in registers.
template <class T>
void maxpool_maps(const T* x, T* y, std::uint32_t* argmax, std::size_t m0, std::size_t m1,
                  PoolGeometry g, long k, long stride, long pad) {
  const long H = long(g.H), W = long(g.W);
  if (k == 2 && stride == 2 && pad == 0) {  // the common 2x2 case, without the window loops
    maxpool_2x2(x, y, argmax, m0, m1, g);
    return;
  }
  //! [maxpool_forward]
  for (std::size_t m = m0; m < m1; ++m) {  // one (H, W) map per image and channel
    const T* in = x + m * g.H * g.W;
    T* out = y + m * g.Ho * g.Wo;
    std::uint32_t* arg = argmax + m * g.Ho * g.Wo;
    for (std::size_t oh = 0; oh < g.Ho; ++oh)
      for (std::size_t ow = 0; ow < g.Wo; ++ow) {
        const long h0 = long(oh) * stride - pad, w0 = long(ow) * stride - pad;
        T best = -std::numeric_limits<T>::infinity();
        long best_at = 0;
        for (long h = std::max(h0, 0L); h < std::min(h0 + k, H); ++h)
          for (long w = std::max(w0, 0L); w < std::min(w0 + k, W); ++w)
            if (in[h * W + w] > best || std::isnan(in[h * W + w]))  // NaN wins, as in PyTorch
              best = in[h * W + w], best_at = h * W + w;
        out[oh * g.Wo + ow] = best;                      // Y = max over the window
        arg[oh * g.Wo + ow] = std::uint32_t(best_at);    // remember which input won
      }
  }
  //! [maxpool_forward]
}
}  // namespace

template <class T>
Tensor4<T> MaxPool2D<T>::forward(const Tensor4<T>& x, Cache& cache) const {
  const PoolGeometry g = pool_geometry(describe(), shape_of(x), kernel, stride, padding);
  Tensor4<T> y = Tensor4<T>::from_shape({g.N, g.C, g.Ho, g.Wo});
  cache.x_shape = shape_of(x);
  cache.argmax.resize(y.size());
  parallel_for_elements(g.N * g.C, x.size(), [&](std::size_t m0, std::size_t m1, std::size_t) {
    maxpool_maps(x.data(), y.data(), cache.argmax.data(), m0, m1, g, long(kernel), long(stride),
                 long(padding));  // the maps split between the threads
  });
  return y;
}

template <class T>
Tensor4<T> MaxPool2D<T>::backward(const Tensor4<T>& dy, const Cache& cache) const {
  const PoolGeometry g = pool_geometry(describe(), cache.x_shape, kernel, stride, padding);
  check_shape(describe(), "gradient dY", dy, {g.N, g.C, g.Ho, g.Wo});
  Tensor4<T> dx = Tensor4<T>::from_shape(cache.x_shape);
  parallel_for_elements(g.N * g.C, dx.size(), [&](std::size_t m0, std::size_t m1, std::size_t) {
    //! [maxpool_backward]
    for (std::size_t m = m0; m < m1; ++m) {  // maps m0..m1-1 (split between the threads)
      const T* d = dy.data() + m * g.Ho * g.Wo;
      const std::uint32_t* arg = cache.argmax.data() + m * g.Ho * g.Wo;
      T* out = dx.data() + m * g.H * g.W;
      std::fill(out, out + g.H * g.W, T(0));
      for (std::size_t q = 0; q < g.Ho * g.Wo; ++q) out[arg[q]] += d[q];  // only the winner gets G
    }
    //! [maxpool_backward]
  });
  return dx;
}

template <class T>
std::string MaxPool2D<T>::describe() const {
  return pool_name("MaxPool2D", kernel, stride, padding);
}

template <class T>
AvgPool2D<T>::AvgPool2D(std::size_t k, std::size_t s, std::size_t p)
    : kernel(k), stride(s ? s : k), padding(p) {
  check_pool_args("AvgPool2D", k, p);
}

template <class T>
Tensor4<T> AvgPool2D<T>::forward(const Tensor4<T>& x, Cache& cache) const {
  const PoolGeometry g = pool_geometry(describe(), shape_of(x), kernel, stride, padding);
  Tensor4<T> y = Tensor4<T>::from_shape({g.N, g.C, g.Ho, g.Wo});
  cache.x_shape = shape_of(x);
  const long H = long(g.H), W = long(g.W);
  const T inv = T(1) / T(kernel * kernel);
  for (std::size_t m = 0; m < g.N * g.C; ++m) {
    const T* in = x.data() + m * g.H * g.W;
    T* out = y.data() + m * g.Ho * g.Wo;
    for (std::size_t oh = 0; oh < g.Ho; ++oh)
      for (std::size_t ow = 0; ow < g.Wo; ++ow) {
        const long h0 = long(oh * stride) - long(padding), w0 = long(ow * stride) - long(padding);
        T s = T(0);
        for (long h = std::max(h0, 0L); h < std::min(h0 + long(kernel), H); ++h)
          for (long w = std::max(w0, 0L); w < std::min(w0 + long(kernel), W); ++w)
            s += in[h * W + w];
        out[oh * g.Wo + ow] = s * inv;  // padding zeros count in the k^2
      }
  }
  return y;
}

template <class T>
Tensor4<T> AvgPool2D<T>::backward(const Tensor4<T>& dy, const Cache& cache) const {
  const PoolGeometry g = pool_geometry(describe(), cache.x_shape, kernel, stride, padding);
  check_shape(describe(), "gradient dY", dy, {g.N, g.C, g.Ho, g.Wo});
  Tensor4<T> dx = xt::zeros<T>(cache.x_shape);
  const long H = long(g.H), W = long(g.W);
  const T inv = T(1) / T(kernel * kernel);
  for (std::size_t m = 0; m < g.N * g.C; ++m) {
    const T* d = dy.data() + m * g.Ho * g.Wo;
    T* out = dx.data() + m * g.H * g.W;
    for (std::size_t oh = 0; oh < g.Ho; ++oh)
      for (std::size_t ow = 0; ow < g.Wo; ++ow) {
        const long h0 = long(oh * stride) - long(padding), w0 = long(ow * stride) - long(padding);
        const T share = d[oh * g.Wo + ow] * inv;  // each window input gets G / k^2
        for (long h = std::max(h0, 0L); h < std::min(h0 + long(kernel), H); ++h)
          for (long w = std::max(w0, 0L); w < std::min(w0 + long(kernel), W); ++w)
            out[h * W + w] += share;
      }
  }
  return dx;
}

template <class T>
std::string AvgPool2D<T>::describe() const {
  return pool_name("AvgPool2D", kernel, stride, padding);
}

template struct MaxPool2D<float>;
template struct MaxPool2D<double>;
template struct AvgPool2D<float>;
template struct AvgPool2D<double>;

}  // namespace dl
