#include "dlcore/layers/depthwise.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/conv2d.hpp"

namespace dl {

template <class T>
DepthwiseConv2D<T>::DepthwiseConv2D(std::size_t channels, std::size_t kernel, Rng& rng,
                                    std::size_t stride_, std::size_t padding_, Init init)
    : W(Tensor4<T>::from_shape({channels, 1, kernel, kernel})),
      b(xt::zeros<T>({channels})),
      dW(xt::zeros<T>(std::array<std::size_t, 4>{channels, 1, kernel, kernel})),
      db(xt::zeros<T>({channels})),
      stride(stride_),
      padding(padding_) {
  if (channels == 0 || kernel == 0 || stride_ == 0)
    throw ValueError("DepthwiseConv2D: channels, kernel and stride must be positive, got C " +
                     std::to_string(channels) + ", kernel " + std::to_string(kernel) + ", stride " +
                     std::to_string(stride_));
  init_weights(W, init, kernel * kernel, kernel * kernel, rng);
}

template <class T>
Tensor4<T> DepthwiseConv2D<T>::forward(const Tensor4<T>& x, Cache& cache) const {
  if (x.shape(1) != channels())
    throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) +
                     " but expected (N, " + std::to_string(channels()) + ", H, W)");
  const std::size_t N = x.shape(0), C = channels(), H = x.shape(2), Wd = x.shape(3), k = kernel();
  const std::string who = describe() + " on input " + shape_str(x.shape());
  const std::size_t Ho = conv_out_size(who, H, k, stride, padding);
  const std::size_t Wo = conv_out_size(who, Wd, k, stride, padding);
  cache.x = x;
  Tensor4<T> y = Tensor4<T>::from_shape({N, C, Ho, Wo});
  parallel_chunks(N, [&](std::size_t begin, std::size_t end, std::size_t, std::size_t) {  // images split between cores
    for (std::size_t n = begin; n < end; ++n)
      for (std::size_t c = 0; c < C; ++c) {
        //! [depthwise_forward]
        const T* X = x.data() + (n * C + c) * H * Wd;  // plane X_{n,c}: (H, W)
        T* Y = y.data() + (n * C + c) * Ho * Wo;       // plane Y_{n,c}: (Ho, Wo)
        const T* w = W.data() + c * k * k;             // filter W_c: (k, k)
        std::fill(Y, Y + Ho * Wo, b(c));
        for (std::size_t i = 0; i < k; ++i) {
          const ValidRange rows = valid_outputs(i, padding, stride, H, Ho);
          for (std::size_t j = 0; j < k; ++j) {
            const ValidRange cols = valid_outputs(j, padding, stride, Wd, Wo);
            const T wij = w[i * k + j];
            for (std::size_t oh = rows.lo; oh < rows.hi; ++oh) {
              // X index of output (oh, ow): (oh s + i - p) W + ow s + j - p (unsigned wrap-around
              // in `at` cancels once ow s is added: ow >= cols.lo keeps the sum in range)
              const std::size_t at = (oh * stride + i - padding) * Wd + j - padding;
              T* yr = Y + oh * Wo;
              for (std::size_t ow = cols.lo; ow < cols.hi; ++ow) yr[ow] += wij * X[at + ow * stride];
            }
          }
        }
        //! [depthwise_forward]
      }
  });
  return y;
}

template <class T>
Tensor4<T> DepthwiseConv2D<T>::backward(const Tensor4<T>& dy, const Cache& cache) {
  const auto& x = cache.x;
  const std::size_t N = x.shape(0), C = channels(), H = x.shape(2), Wd = x.shape(3), k = kernel();
  const std::string who = describe() + " on input " + shape_str(x.shape());
  const std::size_t Ho = conv_out_size(who, H, k, stride, padding);
  const std::size_t Wo = conv_out_size(who, Wd, k, stride, padding);
  check_shape(describe(), "gradient dY", dy, {N, C, Ho, Wo});
  check_grad(describe(), "W", W, dW);
  check_grad(describe(), "b", b, db);
  Tensor4<T> dx;
  if (input_grad) dx = xt::zeros<T>(x.shape());
  // images split into chunks between cores; each chunk sums its dW, db apart, added in
  // chunk order (reproducible)
  const std::size_t chunks = parallel_plan(N).chunks;
  std::vector<std::vector<T>> part_dW(chunks, std::vector<T>(C * k * k, T(0)));
  std::vector<std::vector<T>> part_db(chunks, std::vector<T>(C, T(0)));
  parallel_chunks(N, [&](std::size_t begin, std::size_t end, std::size_t chunk, std::size_t) {
    T* dW_ = part_dW[chunk].data();
    T* db_ = part_db[chunk].data();
    for (std::size_t n = begin; n < end; ++n)
      for (std::size_t c = 0; c < C; ++c) {
        //! [depthwise_backward]
        const T* X = x.data() + (n * C + c) * H * Wd;
        const T* G = dy.data() + (n * C + c) * Ho * Wo;  // dL/dY_{n,c}
        const T* w = W.data() + c * k * k;
        T* dw = dW_ + c * k * k;
        T* DX = input_grad ? dx.data() + (n * C + c) * H * Wd : nullptr;
        T sum = 0;
        for (std::size_t q = 0; q < Ho * Wo; ++q) sum += G[q];
        db_[c] += sum;                                                      // db_c += sum G
        for (std::size_t i = 0; i < k; ++i) {
          const ValidRange rows = valid_outputs(i, padding, stride, H, Ho);
          for (std::size_t j = 0; j < k; ++j) {
            const ValidRange cols = valid_outputs(j, padding, stride, Wd, Wo);
            const T wij = w[i * k + j];
            T acc = 0;
            for (std::size_t oh = rows.lo; oh < rows.hi; ++oh) {
              const std::size_t at = (oh * stride + i - padding) * Wd + j - padding;
              const T* gr = G + oh * Wo;
              for (std::size_t ow = cols.lo; ow < cols.hi; ++ow) acc += gr[ow] * X[at + ow * stride];  // dW_cij
              if (DX)
                for (std::size_t ow = cols.lo; ow < cols.hi; ++ow) DX[at + ow * stride] += wij * gr[ow];  // dX
            }
            dw[i * k + j] += acc;
          }
        }
        //! [depthwise_backward]
      }
  });
  for (std::size_t w = 0; w < chunks; ++w) {
    for (std::size_t i = 0; i < C * k * k; ++i) dW.data()[i] += part_dW[w][i];
    for (std::size_t c = 0; c < C; ++c) db(c) += part_db[w][c];
  }
  return dx;
}

template <class T>
std::vector<ParamRef<T>> DepthwiseConv2D<T>::params() {
  return {param_ref<T>("W", W, dW), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string DepthwiseConv2D<T>::describe() const {
  return "DepthwiseConv2D(" + std::to_string(channels()) + ", " + std::to_string(kernel()) + "x" +
         std::to_string(kernel()) + ", stride " + std::to_string(stride) + ", pad " +
         std::to_string(padding) + ")";
}

template <class T>
PointwiseConv2D<T>::PointwiseConv2D(std::size_t c_in, std::size_t c_out, Rng& rng, Init init)
    : W(Tensor4<T>::from_shape({c_out, c_in, 1, 1})),
      b(xt::zeros<T>({c_out})),
      dW(xt::zeros<T>(std::array<std::size_t, 4>{c_out, c_in, 1, 1})),
      db(xt::zeros<T>({c_out})) {
  if (c_in == 0 || c_out == 0)
    throw ValueError("PointwiseConv2D: channels must be positive, got C_in " + std::to_string(c_in) +
                     ", C_out " + std::to_string(c_out));
  init_weights(W, init, c_in, c_out, rng);
}

template <class T>
Tensor4<T> PointwiseConv2D<T>::forward(const Tensor4<T>& x, Cache& cache) const {
  if (x.shape(1) != c_in())
    throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) +
                     " but expected (N, " + std::to_string(c_in()) + ", H, W)");
  const std::size_t N = x.shape(0), I = c_in(), O = c_out(), P = x.shape(2) * x.shape(3);
  cache.x = x;
  Tensor4<T> y = Tensor4<T>::from_shape({N, O, x.shape(2), x.shape(3)});
  parallel_chunks(N, [&](std::size_t begin, std::size_t end, std::size_t, std::size_t) {  // one core per part
    for (std::size_t n = begin; n < end; ++n) {
      //! [pointwise_forward]
      T* yn = y.data() + n * O * P;                                          // Y_n: (C_out, H W)
      for (std::size_t o = 0; o < O; ++o) std::fill(yn + o * P, yn + (o + 1) * P, b(o));  // b 1^T
      gemm<T>(Op::N, Op::N, O, P, I, T(1), W.data(), I, x.data() + n * I * P, P, T(1), yn, P);  // += W X_n
      //! [pointwise_forward]
    }
  });
  return y;
}

template <class T>
Tensor4<T> PointwiseConv2D<T>::backward(const Tensor4<T>& dy, const Cache& cache) {
  const auto& x = cache.x;
  const std::size_t N = x.shape(0), I = c_in(), O = c_out(), P = x.shape(2) * x.shape(3);
  check_shape(describe(), "gradient dY", dy, {N, O, x.shape(2), x.shape(3)});
  check_grad(describe(), "W", W, dW);
  check_grad(describe(), "b", b, db);
  Tensor4<T> dx;
  if (input_grad) dx = Tensor4<T>::from_shape(x.shape());
  const std::size_t chunks = parallel_plan(N).chunks;  // per-chunk partial sums
  std::vector<std::vector<T>> part_dW(chunks, std::vector<T>(O * I, T(0)));
  std::vector<std::vector<T>> part_db(chunks, std::vector<T>(O, T(0)));
  parallel_chunks(N, [&](std::size_t begin, std::size_t end, std::size_t chunk, std::size_t) {
    T* dW_ = part_dW[chunk].data();
    T* db_ = part_db[chunk].data();
    for (std::size_t n = begin; n < end; ++n) {
      //! [pointwise_backward]
      const T* gn = dy.data() + n * O * P;  // G_n: (C_out, H W)
      const T* xn = x.data() + n * I * P;   // X_n: (C_in, H W)
      for (std::size_t o = 0; o < O; ++o) {
        T s = 0;
        for (std::size_t q = 0; q < P; ++q) s += gn[o * P + q];
        db_[o] += s;                                                         // db += G_n 1
      }
      gemm<T>(Op::N, Op::T, O, I, P, T(1), gn, P, xn, P, T(1), dW_, I);      // dW += G_n X_n^T
      if (input_grad)
        gemm<T>(Op::T, Op::N, I, P, O, T(1), W.data(), I, gn, P, T(0), dx.data() + n * I * P, P);  // dX_n = W^T G_n
      //! [pointwise_backward]
    }
  });
  for (std::size_t w = 0; w < chunks; ++w) {
    for (std::size_t i = 0; i < O * I; ++i) dW.data()[i] += part_dW[w][i];
    for (std::size_t o = 0; o < O; ++o) db(o) += part_db[w][o];
  }
  return dx;
}

template <class T>
std::vector<ParamRef<T>> PointwiseConv2D<T>::params() {
  return {param_ref<T>("W", W, dW), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string PointwiseConv2D<T>::describe() const {
  return "PointwiseConv2D(" + std::to_string(c_in()) + " -> " + std::to_string(c_out()) + ")";
}

template struct DepthwiseConv2D<float>;
template struct DepthwiseConv2D<double>;
template struct PointwiseConv2D<float>;
template struct PointwiseConv2D<double>;

}  // namespace dl
