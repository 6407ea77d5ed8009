#pragma once
/// \file
/// One Transformer encoder block (Vaswani et al. 2017): multi-head self-attention and a
/// position-wise feed-forward network, each wrapped in a residual connection followed by
/// layer normalisation. Derivation: @ref ch20_transformer "Chapter 20, the Transformer block".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/layer_norm.hpp"
#include "dlcore/layers/multi_head_attention.hpp"

namespace dl {

/// The encoder block of "Attention is all you need", post-norm as in the paper and PyTorch's
/// `nn.TransformerEncoderLayer` (norm_first=False, activation ReLU, here without dropout):
/// \f[ H = \text{LN}_1\big(X + \text{MHA}(X)\big),\qquad
///     Y = \text{LN}_2\big(H + \text{ReLU}(H W_1^\top + b_1) W_2^\top + b_2\big). \f]
/// Shapes: X, H, Y (T, N, E); W_1 (F, E), b_1 (F), W_2 (E, F), b_2 (E) in PyTorch's layout
/// (`linear1.weight`, `linear2.weight`), so weights copy both ways. Lengths from ctx.lengths
/// mask padded keys in the attention; every other part works position by position.
template <class T>
struct TransformerEncoderBlock {
  MultiHeadAttention<T> attn;
  LayerNorm<T> norm1, norm2;
  Tensor2<T> W_1, W_2;  ///< feed-forward weights (F, E), (E, F)
  Tensor1<T> b_1, b_2;  ///< feed-forward biases (F), (E)
  Tensor2<T> dW_1, dW_2;
  Tensor1<T> db_1, db_2;
  bool input_grad = true;

  struct Cache {
    typename MultiHeadAttention<T>::Cache attn;
    typename LayerNorm<T>::Cache norm1, norm2;
    Tensor2<T> h;  ///< H, the first sub-layer's output (T N, E)
    Tensor2<T> z;  ///< the feed-forward hidden layer after the ReLU (T N, F)
    std::vector<std::size_t> shape;
  };

  TransformerEncoderBlock() = default;
  /// PyTorch's initialisation (MultiHeadAttention's; the feed-forward layers' weights and
  /// biases uniform in \f$ \pm 1/\sqrt{\text{fan-in}} \f$; LayerNorm 1 and 0).
  TransformerEncoderBlock(std::size_t embed_dim, std::size_t heads, std::size_t ff_dim, Rng& rng);

  std::size_t embed_dim() const { return attn.embed_dim(); }
  std::size_t ff_dim() const { return W_1.shape(0); }

  Tensor3<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  Tensor3<T> backward(const Tensor3<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();  ///< "attn.W_in", ..., "norm1.gamma", ..., "ff.W_1", ...
  std::string describe() const;       ///< "TransformerEncoderBlock(64, 4 heads, 256)"
};

extern template struct TransformerEncoderBlock<float>;
extern template struct TransformerEncoderBlock<double>;

}  // namespace dl
