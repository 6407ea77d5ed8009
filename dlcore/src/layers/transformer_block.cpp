#include "dlcore/layers/transformer_block.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/core/parallel_gemm.hpp"
#include "dlcore/core/rows.hpp"

namespace dl {

template <class T>
TransformerEncoderBlock<T>::TransformerEncoderBlock(std::size_t embed_dim, std::size_t heads,
                                                    std::size_t ff_dim, Rng& rng)
    : attn(embed_dim, heads, rng),
      norm1(embed_dim),
      norm2(embed_dim),
      W_1(Tensor2<T>::from_shape({ff_dim, embed_dim})),
      W_2(Tensor2<T>::from_shape({embed_dim, ff_dim})),
      b_1(Tensor1<T>::from_shape({ff_dim})),
      b_2(Tensor1<T>::from_shape({embed_dim})),
      dW_1(xt::zeros<T>({ff_dim, embed_dim})),
      dW_2(xt::zeros<T>({embed_dim, ff_dim})),
      db_1(xt::zeros<T>({ff_dim})),
      db_2(xt::zeros<T>({embed_dim})) {
  if (ff_dim == 0) throw ValueError("TransformerEncoderBlock: the feed-forward width must be positive");
  auto uniform = [&](auto& w, std::size_t fan_in) {  // nn.Linear's default
    const double a = 1.0 / std::sqrt(double(fan_in));
    for (auto& x : w) x = T(rng.uniform(-a, a));
  };
  uniform(W_1, embed_dim);
  uniform(b_1, embed_dim);
  uniform(W_2, ff_dim);
  uniform(b_2, ff_dim);
}

template <class T>
Tensor3<T> TransformerEncoderBlock<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  if (W_1.size() == 0) throw ValueError("TransformerEncoderBlock: forward on a layer without weights (default-constructed)");
  const std::size_t E = embed_dim(), F = ff_dim();
  if (x.shape(2) != E)
    throw ShapeError(fmt::format("{}: input X has shape {} but expected (T, N, {})", describe(), shape_str(x.shape()), E));
  const std::size_t rows = x.shape(0) * x.shape(1);
  cache.shape = shape_of(x);
  //! [block_forward]
  Tensor3<T> r = attn.forward(x, cache.attn, ctx);       // MHA(X)
  for (std::size_t i = 0; i < r.size(); ++i) r.data()[i] += x.data()[i];  // X + MHA(X): residual
  cache.h.resize({rows, E});
  norm1.forward_rows(r.data(), rows, cache.h.data(), cache.norm1);  // H = LN1(X + MHA(X))
  cache.z = repeat_rows(b_1, rows);                      // Z = ReLU(H W_1^T + b_1)
  parallel_gemm(Op::N, Op::T, rows, F, E, T(1), cache.h.data(), E, W_1.data(), E, T(1), cache.z.data(), F);
  for (auto& v : cache.z) v = v > T(0) ? v : T(0);
  Tensor2<T> r2 = cache.h;                               // H + Z W_2^T + b_2
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < E; ++k) r2.data()[i * E + k] += b_2.data()[k];
  parallel_gemm(Op::N, Op::T, rows, E, F, T(1), cache.z.data(), F, W_2.data(), F, T(1), r2.data(), E);
  Tensor3<T> y = Tensor3<T>::from_shape(x.shape());
  norm2.forward_rows(r2.data(), rows, y.data(), cache.norm2);  // Y = LN2(H + FFN(H))
  //! [block_forward]
  return y;
}

template <class T>
Tensor3<T> TransformerEncoderBlock<T>::backward(const Tensor3<T>& dy, const Cache& cache) {
  if (cache.shape.empty()) throw ValueError(describe() + ": backward called before forward");
  check_shape(describe(), "gradient dY", dy, cache.shape);
  const std::size_t E = embed_dim(), F = ff_dim(), rows = cache.h.shape(0);
  Tensor2<T> dr2 = Tensor2<T>::from_shape({rows, E}), dz = Tensor2<T>::from_shape({rows, F});
  //! [block_backward]
  norm2.backward_rows(dy.data(), rows, cache.norm2, dr2.data());  // through LN2
  // The feed-forward network: dW_2 += dR2^T Z, db_2 += 1^T dR2, dZ = dR2 W_2 masked by Z > 0
  parallel_gemm(Op::T, Op::N, E, F, rows, T(1), dr2.data(), E, cache.z.data(), F, T(1), dW_2.data(), F);
  add_column_sums(dr2, db_2);
  parallel_gemm(Op::N, Op::N, rows, F, E, T(1), dr2.data(), E, W_2.data(), F, T(0), dz.data(), F);
  for (std::size_t i = 0; i < dz.size(); ++i)
    if (!(cache.z.data()[i] > T(0))) dz.data()[i] = T(0);
  // dW_1 += dZ^T H, db_1 += 1^T dZ, dH = dZ W_1 + dR2 (the residual path)
  parallel_gemm(Op::T, Op::N, F, E, rows, T(1), dz.data(), F, cache.h.data(), E, T(1), dW_1.data(), E);
  add_column_sums(dz, db_1);
  Tensor2<T> dh = dr2;
  parallel_gemm(Op::N, Op::N, rows, E, F, T(1), dz.data(), F, W_1.data(), E, T(1), dh.data(), E);
  Tensor3<T> dr1 = Tensor3<T>::from_shape(dy.shape());
  norm1.backward_rows(dh.data(), rows, cache.norm1, dr1.data());  // through LN1
  attn.input_grad = input_grad;
  Tensor3<T> dx = attn.backward(dr1, cache.attn);       // through the attention ...
  if (input_grad)                                        // ... plus the residual path
    for (std::size_t i = 0; i < dx.size(); ++i) dx.data()[i] += dr1.data()[i];
  //! [block_backward]
  return dx;
}

template <class T>
std::vector<ParamRef<T>> TransformerEncoderBlock<T>::params() {
  std::vector<ParamRef<T>> ps;
  auto add = [&](const std::string& prefix, std::vector<ParamRef<T>> sub) {
    for (auto& p : sub) {
      p.name = prefix + p.name;
      ps.push_back(std::move(p));
    }
  };
  add("attn.", attn.params());
  add("norm1.", norm1.params());
  add("ff.", {param_ref<T>("W_1", W_1, dW_1), param_ref<T>("b_1", b_1, db_1, false),
              param_ref<T>("W_2", W_2, dW_2), param_ref<T>("b_2", b_2, db_2, false)});
  add("norm2.", norm2.params());
  return ps;
}

template <class T>
std::string TransformerEncoderBlock<T>::describe() const {
  return fmt::format("TransformerEncoderBlock({}, {} heads, {})", W_1.size() ? embed_dim() : 0,
                     attn.heads, W_1.size() ? ff_dim() : 0);
}

template struct TransformerEncoderBlock<float>;
template struct TransformerEncoderBlock<double>;

}  // namespace dl
