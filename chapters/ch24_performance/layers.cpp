// Chapter 24: convolution two ways, the roofline's FLOP and byte counts, and the per-layer
// profile of one training step. Text: docs/ch24_performance.md
#include <algorithm>
#include <type_traits>

#include <dlcore/core/context.hpp>
#include <dlcore/core/error.hpp>
#include <dlcore/core/gemm.hpp>
#include <dlcore/core/parallel.hpp>
#include <dlcore/core/timer.hpp>
#include <dlcore/layers/activations.hpp>
#include <dlcore/layers/conv2d.hpp>
#include <dlcore/layers/linear.hpp>
#include <dlcore/layers/lstm.hpp>
#include <dlcore/losses/cross_entropy.hpp>

#include "perf.hpp"

namespace ch24 {

using dl::Tensor1;
using dl::Tensor4;

//! [conv_direct]
Tensor4<float> conv_direct(const Tensor4<float>& x, const Tensor4<float>& W,
                           const Tensor1<float>& b, std::size_t stride, std::size_t pad) {
  const std::size_t N = x.shape(0), C = x.shape(1), H = x.shape(2), Wd = x.shape(3);
  const std::size_t O = W.shape(0), kh = W.shape(2), kw = W.shape(3);
  if (W.shape(1) != C || b.size() != O)
    throw dl::ShapeError("ch24::conv_direct: X " + dl::shape_str(x.shape()) + ", W " +
                         dl::shape_str(W.shape()) + ", b " + dl::shape_str(b.shape()) +
                         " do not fit: need W (O, C, kh, kw) with C = X's channels, b (O)");
  const std::size_t Ho = dl::conv_out_size("ch24::conv_direct", H, kh, stride, pad);
  const std::size_t Wo = dl::conv_out_size("ch24::conv_direct", Wd, kw, stride, pad);
  Tensor4<float> y = Tensor4<float>::from_shape({N, O, Ho, Wo});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t o = 0; o < O; ++o) {
      float* yo = &y(n, o, 0, 0);
      std::fill(yo, yo + Ho * Wo, b(o));
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t i = 0; i < kh; ++i)
          for (std::size_t j = 0; j < kw; ++j) {
            const float w = W(o, c, i, j);
            // outputs ow in [lo, hi) read inside the row; the others read the zero padding
            const auto [lo, hi] = dl::valid_outputs(j, pad, stride, Wd, Wo);
            if (lo == hi) continue;
            for (std::size_t oh = 0; oh < Ho; ++oh) {
              const long ih = long(oh * stride + i) - long(pad);
              if (ih < 0 || ih >= long(H)) continue;  // the row lies in the padding
              const float* __restrict xr = &x(n, c, std::size_t(ih), 0) + (lo * stride + j - pad);  // at ow = lo
              float* __restrict yr = yo + oh * Wo;
              for (std::size_t ow = lo; ow < hi; ++ow)
                yr[ow] += w * xr[(ow - lo) * stride];  // Y[n,o,oh,ow] += W[o,c,i,j] X[n,c,ih,ow s+j-p]
            }
          }
    }
  return y;
}
//! [conv_direct]

Tensor4<float> conv_im2col(const Tensor4<float>& x, const Tensor4<float>& W,
                           const Tensor1<float>& b, std::size_t stride, std::size_t pad) {
  dl::Conv2D<float> conv;  // dlcore's layer: im2col per image, then one GEMM
  conv.W = W;
  conv.b = b;
  conv.stride = stride;
  conv.padding = pad;
  dl::Conv2D<float>::Cache cache;
  return conv.forward(x, cache);
}

//! [work]
Work dense_work(std::size_t N, std::size_t d_in, std::size_t d_out) {
  const double n = double(N), di = double(d_in), d = double(d_out);
  return {2 * n * di * d + n * d, 4 * (n * di + di * d + d + n * d)};
}

Work conv_work(std::size_t N, std::size_t C, std::size_t H, std::size_t W, std::size_t O,
               std::size_t k, std::size_t stride, std::size_t pad) {
  const double Ho = double(dl::conv_out_size("ch24::conv_work", H, k, stride, pad));
  const double Wo = double(dl::conv_out_size("ch24::conv_work", W, k, stride, pad));
  const double n = double(N), c = double(C), o = double(O), kk = double(k * k);
  const double outputs = n * o * Ho * Wo;
  return {2 * outputs * c * kk + outputs, 4 * (n * c * double(H) * double(W) + o * c * kk + o + outputs)};
}

Work lstm_step_work(std::size_t N, std::size_t D, std::size_t H) {
  const double n = double(N), d = double(D), h = double(H);
  const double flops = 2 * n * (d + h) * 4 * h   // x_t W_ih^T + h W_hh^T
                       + 2 * n * 4 * h           // + b_ih + b_hh
                       + 5 * n * h;              // c = f c + i g (3), h = o tanh(c) (2)
  const double bytes = 4 * ((d + h) * 4 * h + 8 * h    // weights and biases
                            + n * d + 2 * n * h        // x_t, h_{t-1}, c_{t-1}
                            + 2 * n * h + n * 4 * h);  // h_t, c_t, the gates kept for backward
  return {flops, bytes};
}

Work elementwise_work(std::size_t n) { return {double(n), 8.0 * double(n)}; }
//! [work]

double time_lstm_step(std::size_t N, std::size_t D, std::size_t H, std::size_t T, dl::Rng& rng,
                      int reps) {
  if (N == 0 || D == 0 || H == 0 || T == 0 || reps < 1)
    throw dl::ValueError("ch24::time_lstm_step: N, D, H, T and reps must be positive");
  dl::LSTM<float> lstm(D, H, rng);
  dl::Tensor3<float> x = dl::Tensor3<float>::from_shape({T, N, D});
  for (auto& v : x) v = float(rng.uniform(-1, 1));
  dl::LSTM<float>::Cache cache;
  double best = 1e300;
  for (int r = 0; r <= reps; ++r) {  // r = 0 warms up
    const Timer sw(dl::parallel_threads() == 1 && dl::num_threads() == 1);
    lstm.forward(x, cache);
    if (r > 0) best = std::min(best, sw.seconds());
  }
  return best / double(T);
}

namespace {

using Module = dl::Module<float>;
template <class L>
L* layer_of(Module& m) {
  auto* lm = dynamic_cast<dl::LayerModule<float, L>*>(&m);
  return lm ? &lm->layer : nullptr;
}

std::size_t product(const std::vector<std::size_t>& s) {
  std::size_t p = 1;
  for (auto v : s) p *= v;
  return p;
}

// FLOPs and bytes of module m's forward on an input of shape `in`, and its backward FLOPs.
void count(Module& m, const std::vector<std::size_t>& in, LayerProfile& lp) {
  if (auto* conv = layer_of<dl::Conv2D<float>>(m)) {
    lp.forward = conv_work(in[0], in[1], in[2], in[3], conv->c_out(), conv->kh(), conv->stride,
                           conv->padding);
    const double gemm = lp.forward.flops - double(product(lp.out_shape));  // without the bias
    lp.backward_flops = (m.input_grad ? 2 : 1) * gemm;                      // dW (+ dX)
  } else if (auto* fc = layer_of<dl::Linear<float>>(m)) {
    lp.forward = dense_work(in[0], fc->d_in(), fc->d_out());
    const double gemm = lp.forward.flops - double(product(lp.out_shape));
    lp.backward_flops = (m.input_grad ? 2 : 1) * gemm;
  } else if (layer_of<dl::ReLU<float>>(m)) {
    lp.forward = elementwise_work(product(in));
    lp.backward_flops = double(product(in));
  }
}

}  // namespace

//! [profile]
std::vector<LayerProfile> profile_step(dl::Sequential<float>& net, const Tensor4<float>& X,
                                       const dl::Labels& y, dl::Rng& rng, int steps,
                                       bool wall) {
  if (steps < 1) throw dl::ValueError("ch24::profile_step: steps must be >= 1");
  if (net.size() == 0) throw dl::ValueError("ch24::profile_step: the network has no modules");
  const std::size_t L = net.size();
  std::vector<LayerProfile> prof(L);
  const dl::Context ctx{dl::Mode::train, &rng};
  const dl::SoftmaxCrossEntropy<float> loss;
  const bool one_thread = !wall && dl::parallel_threads() == 1 && dl::num_threads() == 1;  // CPU time
  for (int step = 0; step <= steps; ++step) {  // step 0 warms up (buffers, caches, threads)
    net.zero_grad();
    dl::AnyTensor<float> a = X;
    for (std::size_t i = 0; i < L; ++i) {  // forward, module by module
      LayerProfile& lp = prof[i];
      lp.in_shape = dl::shape_of_any(a);
      const Timer sw(one_thread);
      a = net.module(i).forward(a, ctx);
      const double t = sw.seconds();
      lp.forward_seconds = step == 1 ? t : std::min(lp.forward_seconds, t);
      lp.out_shape = dl::shape_of_any(a);
    }
    dl::SoftmaxCrossEntropy<float>::Cache lc;
    loss.forward(std::get<dl::Tensor2<float>>(a), y, lc);
    dl::AnyTensor<float> g = loss.backward(lc);
    for (std::size_t i = L; i-- > 0;) {  // backward, last module first
      net.module(i).input_grad = i > 0;   // the first layer needs no dX, as in training
      const Timer sw(one_thread);
      g = net.module(i).backward(g);
      const double t = sw.seconds();
      prof[i].backward_seconds = step == 1 ? t : std::min(prof[i].backward_seconds, t);
    }
  }
  for (std::size_t i = 0; i < L; ++i) {
    prof[i].layer = net.module(i).describe();
    count(net.module(i), prof[i].in_shape, prof[i]);
  }
  return prof;
}
//! [profile]

}  // namespace ch24
