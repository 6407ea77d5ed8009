#include "dlcore/layers/conv2d.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/packed_gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/winograd.hpp"

namespace dl {

std::size_t conv_out_size(const std::string& who, std::size_t n, std::size_t k, std::size_t s,
                          std::size_t p) {
  if (s == 0) throw ValueError(who + ": stride must be positive");
  if (n + 2 * p < k)
    throw ShapeError(who + ": a window of " + std::to_string(k) + " does not fit an input of " +
                     std::to_string(n) + " with padding " + std::to_string(p));
  return (n + 2 * p - k) / s + 1;
}

ValidRange valid_outputs(std::size_t k, std::size_t p, std::size_t s, std::size_t n,
                         std::size_t n_out) {
  const std::size_t lo = p > k ? (p - k + s - 1) / s : 0;            // o s + k - p >= 0
  if (n + p < k + 1) return {0, 0};                                  // no o reaches inside
  const std::size_t hi = std::min(n_out, (n - 1 + p - k) / s + 1);  // o s + k - p <= n - 1
  return {std::min(lo, hi), hi};
}

// Row kernels of im2col and col2im. __restrict tells the compiler the two rows never
// overlap, so it vectorises them without a run-time overlap test on every (short) row.
template <class T>
inline void copy_row(const T* __restrict in, T* __restrict out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = in[k];
}
template <class T>
inline void add_row(const T* __restrict d, T* __restrict out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] += d[k];
}

//! [im2col]
template <class T>
void im2col(const T* x, const ConvGeometry& g, T* cols) {
  const std::size_t HoWo = g.Ho * g.Wo, s = g.stride;
  for (std::size_t c = 0; c < g.C; ++c)
    for (std::size_t i = 0; i < g.kh; ++i)
      for (std::size_t j = 0; j < g.kw; ++j) {
        T* row = cols + ((c * g.kh + i) * g.kw + j) * HoWo;  // row (c kh + i) kw + j
        const auto [lo, hi] = valid_outputs(j, g.pad, s, g.W, g.Wo);
        for (std::size_t oh = 0; oh < g.Ho; ++oh) {
          T* out = row + oh * g.Wo;
          const long ih = long(oh * s + i) - long(g.pad);  // input row of this output row
          if (ih < 0 || ih >= long(g.H) || lo == hi) {
            std::fill(out, out + g.Wo, T(0));  // the whole row lies in the padding
            continue;
          }
          // out[ow] = x[c, ih, ow s + j - p] for ow in [lo, hi), zeros (padding) elsewhere
          const T* in = x + (c * g.H + std::size_t(ih)) * g.W + (lo * s + j - g.pad);  // at ow = lo
          std::fill(out, out + lo, T(0));
          if (s == 1)
            copy_row(in, out + lo, hi - lo);
          else
            for (std::size_t k = 0; k < hi - lo; ++k) out[lo + k] = in[k * s];
          std::fill(out + hi, out + g.Wo, T(0));
        }
      }
}
//! [im2col]

template <class T>
void col2im(const T* dcols, const ConvGeometry& g, T* dx) {
  const std::size_t HoWo = g.Ho * g.Wo, s = g.stride;
  for (std::size_t c = 0; c < g.C; ++c)
    for (std::size_t i = 0; i < g.kh; ++i)
      for (std::size_t j = 0; j < g.kw; ++j) {
        const T* row = dcols + ((c * g.kh + i) * g.kw + j) * HoWo;
        const auto [lo, hi] = valid_outputs(j, g.pad, s, g.W, g.Wo);
        for (std::size_t oh = 0; oh < g.Ho; ++oh) {
          const long ih = long(oh * s + i) - long(g.pad);
          if (ih < 0 || ih >= long(g.H) || lo == hi) continue;  // gradient of padding: dropped
          const T* d = row + oh * g.Wo + lo;
          T* out = dx + (c * g.H + std::size_t(ih)) * g.W + (lo * s + j - g.pad);  // at ow = lo
          if (s == 1)
            add_row(d, out, hi - lo);  // each use of x adds its share
          else
            for (std::size_t k = 0; k < hi - lo; ++k) out[k * s] += d[k];
        }
      }
}

namespace {
// dW^T (+)= [cols(X_n); 1^T] G_n^T without building cols, for stride 1 (Chapter 24,
// "the columns read in place"): in the image padded to Hp x Wp, the window row (c, i, j) of
// output position (oh, ow) is at c Hp Wp + i Wp + j + (oh Wp + ow), so over positions
// q = oh Wp + ow each row of cols is Ho Wp consecutive floats of the padded image. The
// positions ow >= Wo of each output row are not outputs: G is copied with zeros there, and
// what those positions read (the next row's first values) is multiplied by zero. xp holds the
// padded image, Wp zeros of slack and then Ho Wp ones (db's row); row[] the rows' offsets.
void implicit_dWt(const float* x, const float* gn, const ConvGeometry& g, std::size_t O,
                  std::size_t Kb, const std::size_t* row, float* xp, float* gp, float* dWt) {
  const std::size_t Hp = g.H + 2 * g.pad, Wp = g.W + 2 * g.pad, Q = g.Ho * Wp;
  for (std::size_t c = 0; c < g.C; ++c)
    for (std::size_t r = 0; r < Hp; ++r) {
      float* d = xp + (c * Hp + r) * Wp;
      const long ih = long(r) - long(g.pad);
      if (ih < 0 || ih >= long(g.H)) {
        std::fill(d, d + Wp, 0.0f);
        continue;
      }
      std::fill(d, d + g.pad, 0.0f);
      std::copy_n(x + (c * g.H + std::size_t(ih)) * g.W, g.W, d + g.pad);
      std::fill(d + g.pad + g.W, d + Wp, 0.0f);
    }
  for (std::size_t o = 0; o < O; ++o)
    for (std::size_t oh = 0; oh < g.Ho; ++oh) {
      float* d = gp + o * Q + oh * Wp;
      std::copy_n(gn + (o * g.Ho + oh) * g.Wo, g.Wo, d);
      std::fill(d + g.Wo, d + Wp, 0.0f);
    }
  packed_sgemm_rows(Kb, O, Q, 1.0f, xp, row, gp, Q, dWt, O);
}
// double layers always build the columns (the gradient checks run through im2col)
void implicit_dWt(const double*, const double*, const ConvGeometry&, std::size_t, std::size_t,
                  const std::size_t*, double*, double*, double*) {
  throw std::logic_error("implicit_dWt: float only");
}
}  // namespace

template <class T>
Conv2D<T>::Conv2D(std::size_t c_in, std::size_t c_out, std::size_t kernel, Rng& rng,
                  std::size_t stride_, std::size_t padding_, Init init, bool bias)
    : W(Tensor4<T>::from_shape({c_out, c_in, kernel, kernel})),
      b(Tensor1<T>::from_shape({bias ? c_out : 0})),
      dW(Tensor4<T>::from_shape({c_out, c_in, kernel, kernel})),
      db(Tensor1<T>::from_shape({bias ? c_out : 0})),
      stride(stride_),
      padding(padding_) {
  if (c_in == 0 || c_out == 0 || kernel == 0 || stride_ == 0)
    throw ValueError("Conv2D: channels, kernel and stride must be positive, got C_in " +
                     std::to_string(c_in) + ", C_out " + std::to_string(c_out) + ", kernel " +
                     std::to_string(kernel) + ", stride " + std::to_string(stride_));
  init_weights(W, init, c_in * kernel * kernel, c_out * kernel * kernel, rng);
  b.fill(T(0));
  dW.fill(T(0));
  db.fill(T(0));
}

template <class T>
ConvGeometry Conv2D<T>::geometry(const std::vector<std::size_t>& s) const {
  if (s.size() != 4 || s[1] != c_in())
    throw ShapeError(describe() + ": input X has shape " + shape_str(s) + " but expected (N, " +
                     std::to_string(c_in()) + ", H, W)");
  ConvGeometry g;
  g.C = s[1], g.H = s[2], g.W = s[3];
  g.kh = kh(), g.kw = kw(), g.stride = stride, g.pad = padding;
  g.Ho = conv_out_size(describe() + " on input " + shape_str(s), g.H, g.kh, stride, padding);
  g.Wo = conv_out_size(describe() + " on input " + shape_str(s), g.W, g.kw, stride, padding);
  return g;
}

// Images are independent in the forward pass and in dX, and their dW terms add up: the
// batch is cut into chunks that the threads share (parallel_chunks), each running
// single-threaded GEMMs with its own column buffer. Chunk 0 accumulates straight into dW and
// db, the others into their own partial sums, added afterwards in chunk order (reproducible).
template <class T>
Tensor4<T> Conv2D<T>::forward(const Tensor4<T>& x, Cache& cache) const {
  const ConvGeometry g = geometry(shape_of(x));
  const std::size_t N = x.shape(0), O = c_out(), K = g.rows(), P = g.cols();
  const std::size_t image = g.C * g.H * g.W;
  if (cache.x.shape() != x.shape()) cache.x.resize(x.shape());
  Tensor4<T> y = Tensor4<T>::from_shape({N, O, g.Ho, g.Wo});
  const double flops = 2.0 * double(N * O * K * P);  // one multiply and one add per weight use
  const bool bias = has_bias();
  // float 3x3 layers where it pays: Y = A^T [(G g G^T) . (B^T d B)] A, tile by tile
  const bool wino = std::is_same_v<T, float> && winograd && winograd_applies(g);
  thread_local std::vector<float> U;  // the transformed filters, 16 C_out C_in floats
  if constexpr (std::is_same_v<T, float>)
    if (wino) U.resize(16 * O * g.C), winograd_filters(W.data(), O, g.C, U.data());
  const float* u = U.data();  // this thread's U: the workers' own thread_local U is not it
  const auto images = [&](std::size_t begin, std::size_t end) {
    std::copy(x.data() + begin * image, x.data() + end * image, cache.x.data() + begin * image);
    if constexpr (std::is_same_v<T, float>)
      if (wino) {
        winograd_conv3x3(x.data() + begin * image, end - begin, g, u, O, bias ? b.data() : nullptr,
                         y.data() + begin * O * P);
        return;
      }
    Tensor2<T> cols = Tensor2<T>::from_shape({K, P});
    for (std::size_t n = begin; n < end; ++n) {
      //! [conv_forward]
      T* yn = y.data() + n * O * P;                              // Y_n viewed as (C_out, Ho Wo)
      for (std::size_t o = 0; o < O; ++o) std::fill(yn + o * P, yn + (o + 1) * P, bias ? b(o) : T(0));  // b 1^T
      im2col(x.data() + n * image, g, cols.data());              // cols(X_n): (C_in kh kw, Ho Wo)
      conv_gemm<T>(Op::N, Op::N, O, P, K, T(1), W.data(), K, cols.data(), P, T(1), yn, P);  // += W cols
      //! [conv_forward]
    }
  };
  if (wino)  // one part per thread: Winograd's rounds of images (and its products) get wider
    parallel_for(N, [&](std::size_t begin, std::size_t end, std::size_t) { images(begin, end); });
  else
    parallel_chunks(N, [&](std::size_t begin, std::size_t end, std::size_t, std::size_t) {
      images(begin, end);
    }, flops);
  return y;
}

template <class T>
Tensor4<T> Conv2D<T>::backward(const Tensor4<T>& dy, const Cache& cache) {
  const ConvGeometry g = geometry(shape_of(cache.x));
  const std::size_t N = cache.x.shape(0), O = c_out(), K = g.rows(), P = g.cols();
  const std::size_t image = g.C * g.H * g.W;
  check_shape(describe(), "gradient dY", dy, {N, O, g.Ho, g.Wo});
  check_grad(describe(), "W", W, dW);
  check_grad(describe(), "b", b, db);
  Tensor4<T> dx;
  if (input_grad) dx = Tensor4<T>::from_shape(cache.x.shape());  // zeroed image by image below
  // float 3x3 layers at stride 1 where it pays: dX is the 3x3 convolution of dY, padded by
  // 2 - p, with the filters flipped and transposed, Wf[c, o, i, j] = W[o, c, 2 - i, 2 - j]
  ConvGeometry gx;  // that convolution's geometry: dY (N, C_out, Ho, Wo) -> dX (N, C_in, H, W)
  gx.C = O, gx.H = g.Ho, gx.W = g.Wo, gx.kh = 3, gx.kw = 3, gx.stride = 1, gx.pad = 2 - g.pad;
  gx.Ho = g.H, gx.Wo = g.W;
  const bool wino_dx = std::is_same_v<T, float> && winograd && input_grad && g.kh == 3 &&
                       g.kw == 3 && g.stride == 1 && g.pad <= 2 && winograd_applies(gx);
  if constexpr (std::is_same_v<T, float>)
    if (wino_dx) {
      std::vector<float> Wf(W.size());
      const auto flip = [&](std::size_t c0, std::size_t c1, std::size_t) {
        for (std::size_t c = c0; c < c1; ++c)
          for (std::size_t o = 0; o < O; ++o)
            for (std::size_t k = 0; k < 9; ++k) Wf[(c * O + o) * 9 + k] = W.data()[(o * g.C + c) * 9 + 8 - k];
      };
      parallel_for_elements(g.C, W.size(), flip);
      U_dx_.resize(16 * g.C * O);
      winograd_filters(Wf.data(), g.C, O, U_dx_.data());
    }
  const double flops = (input_grad ? (wino_dx ? 2.0 + 2.0 / 2.25 : 4.0) : 2.0) * double(N * O * K * P);
  const ParallelPlan plan = parallel_plan(N, flops);
  // db rides along in dW's product: the column buffer gets a last row of ones, so row K of
  // dW^T += cols G_n^T is G_n 1, db's share of image n
  const bool bias = has_bias();
  const std::size_t Kb = bias ? K + 1 : K;
  // float layers at stride 1 whose dW^T is no thin product: its columns read in place
  const bool implicit = std::is_same_v<T, float> && g.stride == 1 && Kb >= 2 * packed_sgemm_mr() &&
                        2 * O >= packed_sgemm_nr();
  const std::size_t Hp = g.H + 2 * g.pad, Wp = g.W + 2 * g.pad, Q = g.Ho * Wp;
  const std::size_t slack = g.C * Hp * Wp;  // where the padded image ends; ones after Wp zeros
  std::vector<std::size_t> rows;            // implicit: each row of cols (and the ones) in xp
  if (implicit) {
    for (std::size_t c = 0; c < g.C; ++c)
      for (std::size_t i = 0; i < g.kh; ++i)
        for (std::size_t j = 0; j < g.kw; ++j) rows.push_back(c * Hp * Wp + i * Wp + j);
    if (bias) rows.push_back(slack + Wp);
  }
  work_.resize(std::max(plan.workers, plan.chunks));
  for (std::size_t w = 0; w < work_.size(); ++w) {
    Workspace& ws = work_[w];
    if (w < plan.workers && implicit) {  // a padded image (+ slack and ones) and G, per worker
      ws.xp.assign(slack + Wp + Q, T(0));
      std::fill(ws.xp.begin() + std::ptrdiff_t(slack + Wp), ws.xp.end(), T(1));
      ws.gp.resize(O * Q);
    }
    if (w < plan.workers && !implicit) {  // column buffers, one per worker
      if (ws.cols.shape(0) != Kb || ws.cols.shape(1) != P) {
        ws.cols.resize({Kb, P});
        std::fill(ws.cols.data() + K * P, ws.cols.data() + Kb * P, T(1));  // im2col leaves it
      }
    }
    if (w < plan.workers && input_grad && !wino_dx && (ws.dcols.shape(0) != K || ws.dcols.shape(1) != P))
      ws.dcols.resize({K, P});
    if (w < plan.chunks) {  // partial sums of dW^T (and db), one per chunk
      if (ws.dWt.shape(0) != Kb || ws.dWt.shape(1) != O) ws.dWt.resize({Kb, O});
      ws.dWt.fill(T(0));
    }
  }
  parallel_chunks(N, [&](std::size_t begin, std::size_t end, std::size_t chunk, std::size_t w) {
    Workspace& ws = work_[w];
    T* dWt = work_[chunk].dWt.data();
    for (std::size_t n = begin; n < end; ++n) {
      //! [conv_backward]
      const T* gn = dy.data() + n * O * P;                               // G_n: (C_out, Ho Wo)
      if (implicit) {  // float, stride 1: the same product, its columns read in place (Chapter 24)
        implicit_dWt(cache.x.data() + n * image, gn, g, O, Kb, rows.data(), ws.xp.data(), ws.gp.data(), dWt);
      } else {
        im2col(cache.x.data() + n * image, g, ws.cols.data());           // cols(X_n) again (row K: ones)
        conv_gemm<T>(Op::N, Op::T, Kb, O, P, T(1), ws.cols.data(), P, gn, P, T(1), dWt, O);  // [dW^T; db^T] += [cols; 1^T] G_n^T
      }
      if (input_grad && !wino_dx) {
        conv_gemm<T>(Op::T, Op::N, K, P, O, T(1), W.data(), K, gn, P, T(0), ws.dcols.data(), P);  // W^T G_n
        std::fill(dx.data() + n * image, dx.data() + (n + 1) * image, T(0));
        col2im(ws.dcols.data(), g, dx.data() + n * image);               // dX_n = col2im(W^T G_n)
      }
      //! [conv_backward]
    }
    if constexpr (std::is_same_v<T, float>)
      if (wino_dx)  // dX of the chunk's images at once, written (not added) image by image
        winograd_conv3x3(dy.data() + begin * O * P, end - begin, gx, U_dx_.data(), g.C, nullptr,
                         dx.data() + begin * image);
  }, flops);
  // The chunks' sums added in chunk order (reproducible), the threads sharing the outputs o
  // (each its own rows of dW: the same additions in the same order as one thread)
  const auto add_parts = [&](std::size_t o0, std::size_t o1, std::size_t) {
    for (std::size_t c = 0; c < plan.chunks; ++c) {
      const T* part = work_[c].dWt.data();  // (C_in kh kw [+ 1], C_out): dW's transpose [and db]
      for (std::size_t o = o0; o < o1; ++o)
        for (std::size_t k = 0; k < K; ++k) dW.data()[o * K + k] += part[k * O + o];
      if (bias)
        for (std::size_t o = o0; o < o1; ++o) db(o) += part[K * O + o];
    }
  };
  parallel_for_elements(O, plan.chunks * Kb * O, add_parts);
  return dx;
}

template <class T>
std::vector<ParamRef<T>> Conv2D<T>::params() {
  if (!has_bias()) return {param_ref<T>("W", W, dW)};
  return {param_ref<T>("W", W, dW), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string Conv2D<T>::describe() const {
  return "Conv2D(" + std::to_string(c_in()) + " -> " + std::to_string(c_out()) + ", " +
         std::to_string(kh()) + "x" + std::to_string(kw()) + ", stride " + std::to_string(stride) +
         ", pad " + std::to_string(padding) + (has_bias() ? ")" : ", no bias)");
}

template void im2col<float>(const float*, const ConvGeometry&, float*);
template void im2col<double>(const double*, const ConvGeometry&, double*);
template void col2im<float>(const float*, const ConvGeometry&, float*);
template void col2im<double>(const double*, const ConvGeometry&, double*);
template struct Conv2D<float>;
template struct Conv2D<double>;

}  // namespace dl
