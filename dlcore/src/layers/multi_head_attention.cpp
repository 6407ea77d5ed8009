#include "dlcore/layers/multi_head_attention.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/core/parallel_gemm.hpp"
#include "dlcore/core/rows.hpp"
#include "dlcore/layers/dot_product_attention.hpp"
#include "dlcore/layers/init.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

template <class T>
MultiHeadAttention<T>::MultiHeadAttention(std::size_t embed_dim, std::size_t num_heads, Rng& rng)
    : heads(num_heads),
      W_in(Tensor2<T>::from_shape({3 * embed_dim, embed_dim})),
      b_in(xt::zeros<T>({3 * embed_dim})),
      W_out(Tensor2<T>::from_shape({embed_dim, embed_dim})),
      b_out(xt::zeros<T>({embed_dim})),
      dW_in(xt::zeros<T>({3 * embed_dim, embed_dim})),
      dW_out(xt::zeros<T>({embed_dim, embed_dim})),
      db_in(xt::zeros<T>({3 * embed_dim})),
      db_out(xt::zeros<T>({embed_dim})) {
  if (embed_dim == 0 || num_heads == 0 || embed_dim % num_heads != 0)
    throw ValueError(fmt::format("MultiHeadAttention: {} heads must divide the embedding width {}",
                                 num_heads, embed_dim));
  init_weights(W_in, Init::xavier_uniform, embed_dim, 3 * embed_dim, rng);
  init_weights(W_out, Init::lecun_uniform, embed_dim, embed_dim, rng);
}

template <class T>
Tensor3<T> MultiHeadAttention<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  const std::string who = describe();
  if (W_in.size() == 0) throw ValueError("MultiHeadAttention: forward on a layer without weights (default-constructed)");
  const std::size_t T_ = x.shape(0), N = x.shape(1), E = embed_dim(), h = heads, d = head_dim();
  if (x.shape(2) != E)
    throw ShapeError(fmt::format("{}: input X has shape {} but expected (T, N, {})", who, shape_str(x.shape()), E));
  if (T_ == 0 || N == 0) throw ShapeError(who + ": input X has shape " + shape_str(x.shape()) + ", an empty sequence batch");
  cache.lengths = ctx.lengths ? *ctx.lengths : Lengths{};
  check_lengths(who, cache.lengths, T_, N);
  cache.x = x;
  cache.qkv = repeat_rows(b_in, T_ * N);
  cache.concat.resize({T_ * N, E});
  cache.a.resize({N, h, T_, T_});
  Tensor3<T> y = Tensor3<T>::from_shape({T_, N, E});
  const std::size_t ld = N * 3 * E;  // row stride of one sequence's rows in qkv
  const T scale = T(1) / std::sqrt(T(d));
  //! [mha_forward]
  // [Q K V] = X W_in^T + b_in: one GEMM for all positions of all sequences
  parallel_gemm(Op::N, Op::T, T_ * N, 3 * E, E, T(1), x.data(), E, W_in.data(), E, T(1), cache.qkv.data(), 3 * E);
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    for (std::size_t n = n0; n < n1; ++n)
      for (std::size_t j = 0; j < h; ++j) {  // head j of sequence n: features [j d, (j+1) d)
        const T* Q = cache.qkv.data() + n * 3 * E + j * d;
        attention_forward(T_, T_, cache.lengths.empty() ? T_ : cache.lengths[n], d, d, scale,
                          Q, ld, Q + E, ld, Q + 2 * E, ld, &cache.a(n, j, 0, 0),
                          cache.concat.data() + n * E + j * d, N * E);
      }
  });
  // Y = [O_1 ... O_h] W_out^T + b_out
  for (std::size_t r = 0; r < T_ * N; ++r) std::copy(b_out.begin(), b_out.end(), y.data() + r * E);
  parallel_gemm(Op::N, Op::T, T_ * N, E, E, T(1), cache.concat.data(), E, W_out.data(), E, T(1), y.data(), E);
  //! [mha_forward]
  return y;
}

template <class T>
Tensor3<T> MultiHeadAttention<T>::backward(const Tensor3<T>& dy, const Cache& cache) {
  const std::string who = describe();
  if (cache.a.size() == 0) throw ValueError(who + ": backward called before forward");
  const std::size_t T_ = cache.x.shape(0), N = cache.x.shape(1), E = embed_dim(), h = heads, d = head_dim();
  check_shape(who, "gradient dY", dy, {T_, N, E});
  const std::size_t rows = T_ * N, ld = N * 3 * E;
  const T scale = T(1) / std::sqrt(T(d));
  Tensor2<T> dconcat = Tensor2<T>::from_shape({rows, E}), dqkv = Tensor2<T>::from_shape({rows, 3 * E});
  //! [mha_backward]
  // Output projection: dW_out += dY^T [O], db_out += 1^T dY, d[O] = dY W_out
  parallel_gemm(Op::T, Op::N, E, E, rows, T(1), dy.data(), E, cache.concat.data(), E, T(1), dW_out.data(), E);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < E; ++c) db_out[c] += dy.data()[r * E + c];
  parallel_gemm(Op::N, Op::N, rows, E, E, T(1), dy.data(), E, W_out.data(), E, T(0), dconcat.data(), E);
  // Every head of every sequence: d[O_j] -> dQ_j, dK_j, dV_j (the kernel of DotProductAttention)
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    std::vector<T> work(T_ * T_);
    for (std::size_t n = n0; n < n1; ++n)
      for (std::size_t j = 0; j < h; ++j) {
        const std::size_t off = n * 3 * E + j * d;
        const T* Q = cache.qkv.data() + off;
        T* dQ = dqkv.data() + off;
        attention_backward(T_, T_, cache.lengths.empty() ? T_ : cache.lengths[n], d, d, scale, Q, ld,
                           Q + E, ld, Q + 2 * E, ld, &cache.a(n, j, 0, 0),
                           dconcat.data() + n * E + j * d, N * E, work.data(), dQ, ld, dQ + E, ld,
                           dQ + 2 * E, ld);
      }
  });
  // Input projection: dW_in += d[QKV]^T X, db_in += 1^T d[QKV], dX = d[QKV] W_in
  parallel_gemm(Op::T, Op::N, 3 * E, E, rows, T(1), dqkv.data(), 3 * E, cache.x.data(), E, T(1), dW_in.data(), E);
  add_column_sums(dqkv, db_in);
  Tensor3<T> dx;
  if (input_grad) {
    dx.resize({T_, N, E});
    parallel_gemm(Op::N, Op::N, rows, E, 3 * E, T(1), dqkv.data(), 3 * E, W_in.data(), E, T(0), dx.data(), E);
  }
  //! [mha_backward]
  return dx;
}

template <class T>
Tensor3<T> MultiHeadAttention<T>::mean_weights(const Cache& cache) {
  const std::size_t N = cache.a.shape(0), h = cache.a.shape(1), T_ = cache.a.shape(2);
  Tensor3<T> m = xt::zeros<T>({N, T_, T_});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t j = 0; j < h; ++j)
      for (std::size_t k = 0; k < T_ * T_; ++k) m.data()[n * T_ * T_ + k] += cache.a.data()[(n * h + j) * T_ * T_ + k] / T(h);
  return m;
}

template <class T>
std::vector<ParamRef<T>> MultiHeadAttention<T>::params() {
  return {param_ref<T>("W_in", W_in, dW_in), param_ref<T>("b_in", b_in, db_in, /*decay=*/false),
          param_ref<T>("W_out", W_out, dW_out), param_ref<T>("b_out", b_out, db_out, /*decay=*/false)};
}

template <class T>
std::string MultiHeadAttention<T>::describe() const {
  return fmt::format("MultiHeadAttention({}, {} heads)", W_out.size() ? embed_dim() : 0, heads);
}

template struct MultiHeadAttention<float>;
template struct MultiHeadAttention<double>;

}  // namespace dl
