#include "dlcore/layers/conv1d.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/recurrent.hpp"  // check_lengths

namespace dl {

namespace {

// The valid length of sequence n: its own, or all T.
inline std::size_t length_of(const Lengths& L, std::size_t n, std::size_t T_) {
  return L.empty() ? T_ : L[n];
}

}  // namespace

template <class T>
Conv1D<T>::Conv1D(std::size_t d_in, std::size_t c_out, std::size_t kernel, Rng& rng, Init init)
    : W(Tensor3<T>::from_shape({c_out, d_in, kernel})), b(xt::zeros<T>({c_out})),
      dW(xt::zeros<T>({c_out, d_in, kernel})), db(xt::zeros<T>({c_out})) {
  if (d_in == 0 || c_out == 0 || kernel == 0)
    throw ValueError(fmt::format("Conv1D: needs inputs, filters and a kernel width, got {} -> {}, k {}",
                                 d_in, c_out, kernel));
  init_weights(W, init, d_in * kernel, c_out * kernel, rng);
}

template <class T>
Tensor3<T> Conv1D<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  if (W.size() == 0) throw ValueError("Conv1D: forward on a layer without weights (default-constructed)");
  if (x.shape(2) != d_in())
    throw ShapeError(fmt::format("{}: input X has shape {} but expected (T, N, {})", describe(),
                                 shape_str(x.shape()), d_in()));
  const std::size_t T_ = x.shape(0), N = x.shape(1), D = d_in(), k = kernel(), C = c_out(),
                    Dk = D * k, p = left_pad();
  if (T_ == 0 || N == 0) throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) + ", an empty sequence batch");
  cache.steps = T_;
  cache.batch = N;
  cache.lengths = ctx.lengths ? *ctx.lengths : Lengths{};
  check_lengths(describe(), cache.lengths, T_, N);
  const Lengths& L = cache.lengths;
  cache.cols.resize({T_ * N, Dk});
  Tensor3<T> y = Tensor3<T>::from_shape({T_, N, C});
  parallel_for(T_ * N, [&](std::size_t r0, std::size_t r1, std::size_t) {
    //! [conv1d_forward]
    for (std::size_t r = r0; r < r1; ++r) {  // row r = t N + n of cols: the window of step t
      const std::size_t t = r / N, n = r % N, len = length_of(L, n, T_);
      T* c = cache.cols.data() + r * Dk;
      std::fill(c, c + Dk, T(0));
      if (t >= len) continue;  // a padded step: its output is 0
      for (std::size_t j = 0; j < k; ++j) {  // cols[(t,n), d k + j] = X[t + j - p, n, d]
        if (t + j < p || t + j - p >= len) continue;  // outside the word: zero padding
        const T* xs = x.data() + ((t + j - p) * N + n) * D;
        for (std::size_t d = 0; d < D; ++d) c[d * k + j] = xs[d];
      }
    }
    T* Y = y.data() + r0 * C;  // Y = cols W_mat^T + 1 b^T
    for (std::size_t r = r0; r < r1; ++r) std::copy(b.begin(), b.end(), Y + (r - r0) * C);
    gemm(Op::N, Op::T, r1 - r0, C, Dk, T(1), cache.cols.data() + r0 * Dk, Dk, W.data(), Dk, T(1), Y, C);
    for (std::size_t r = r0; r < r1; ++r)  // padded steps output 0
      if (r / N >= length_of(L, r % N, T_)) std::fill(Y + (r - r0) * C, Y + (r - r0 + 1) * C, T(0));
    //! [conv1d_forward]
  });
  return y;
}

template <class T>
Tensor3<T> Conv1D<T>::backward(const Tensor3<T>& dy, const Cache& cache) {
  if (cache.steps == 0) throw ValueError(describe() + ": backward called before forward");
  if (dW.shape() != W.shape()) throw ValueError(describe() + ": backward without gradient tensors (default-constructed?)");
  const std::size_t T_ = cache.steps, N = cache.batch, D = d_in(), k = kernel(), C = c_out(),
                    Dk = D * k, p = left_pad(), TN = T_ * N;
  check_shape(describe(), "gradient dY", dy, {T_, N, C});
  const Lengths& L = cache.lengths;
  //! [conv1d_backward]
  // G = dY with the padded steps zeroed: their outputs were the constant 0
  Tensor2<T> G = Tensor2<T>::from_shape({TN, C});
  std::copy(dy.begin(), dy.end(), G.begin());
  if (!L.empty())
    for (std::size_t r = 0; r < TN; ++r)
      if (r / N >= L[r % N]) std::fill(G.data() + r * C, G.data() + (r + 1) * C, T(0));
  parallel_for(C, [&](std::size_t o0, std::size_t o1, std::size_t) {  // filters split between threads
    gemm(Op::T, Op::N, o1 - o0, Dk, TN, T(1), G.data() + o0, C, cache.cols.data(), Dk, T(1),
         dW.data() + o0 * Dk, Dk);                                      // dW_mat += G^T cols
    for (std::size_t r = 0; r < TN; ++r) {                              // db += 1^T G
      const T* g = G.data() + r * C;
      for (std::size_t o = o0; o < o1; ++o) db.data()[o] += g[o];
    }
  });
  if (!input_grad) return {};
  Tensor2<T> dcols = Tensor2<T>::from_shape({TN, Dk});
  Tensor3<T> dx = Tensor3<T>::from_shape({T_, N, D});
  parallel_for(TN, [&](std::size_t r0, std::size_t r1, std::size_t) {
    gemm(Op::N, Op::N, r1 - r0, Dk, C, T(1), G.data() + r0 * C, C, W.data(), Dk, T(0),
         dcols.data() + r0 * Dk, Dk);                                   // dcols = G W_mat
  });
  parallel_for(TN, [&](std::size_t r0, std::size_t r1, std::size_t) {  // col2im as a gather:
    for (std::size_t r = r0; r < r1; ++r) {  // dX[s, n, d] = sum_j dcols[(s - j + p, n), d k + j]
      const std::size_t s = r / N, n = r % N;
      T* out = dx.data() + r * D;
      std::fill(out, out + D, T(0));
      if (s >= length_of(L, n, T_)) continue;  // a padded input step was read as 0
      for (std::size_t j = 0; j < k; ++j) {
        if (s + p < j || s + p - j >= T_) continue;  // no output step t = s - j + p there
        const T* g = dcols.data() + ((s + p - j) * N + n) * Dk;
        for (std::size_t d = 0; d < D; ++d) out[d] += g[d * k + j];
      }
    }
  });
  //! [conv1d_backward]
  return dx;
}

template <class T>
std::vector<ParamRef<T>> Conv1D<T>::params() {
  return {param_ref<T>("W", W, dW), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string Conv1D<T>::describe() const {
  if (W.size() == 0) return "Conv1D(0 -> 0)";
  return fmt::format("Conv1D({} -> {}, k {})", d_in(), c_out(), kernel());
}

template struct Conv1D<float>;
template struct Conv1D<double>;

}  // namespace dl
