#pragma once
/// \file
/// Multi-head self-attention (Vaswani et al. 2017), PyTorch's `nn.MultiheadAttention` with
/// query = key = value. Derivation: @ref ch20_mha "Chapter 20, multi-head attention".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// Multi-head self-attention over a sequence batch X (T, N, E) with h heads of
/// \f$ d = E/h \f$ features:
/// \f[ [Q\; K\; V] = X W_{in}^\top + b_{in},\qquad
///     O^{(j)} = \text{softmax}\big(Q^{(j)} K^{(j)\top} / \sqrt{d}\big)\, V^{(j)},\qquad
///     Y = [O^{(1)} \dots O^{(h)}]\, W_{out}^\top + b_{out}, \f]
/// head j using features [j d, (j+1) d) of Q, K and V, every sequence attending only to its
/// own positions. Sequence lengths come from ctx.lengths: the positions after a sequence's
/// length are padding, masked as keys (PyTorch's `key_padding_mask`); their own outputs are
/// computed but mean nothing.
///
/// Parameters in PyTorch's layout, so weights copy both ways: W_in (3E, E) =
/// `in_proj_weight` (the blocks of Q, K, V stacked), b_in (3E), W_out (E, E) =
/// `out_proj.weight`, b_out (E). The weights of every head of one sequence are kept as
/// (N, h, T, T).
template <class T>
struct MultiHeadAttention {
  std::size_t heads = 1;
  Tensor2<T> W_in;   ///< (3E, E)
  Tensor1<T> b_in;   ///< (3E)
  Tensor2<T> W_out;  ///< (E, E)
  Tensor1<T> b_out;  ///< (E)
  Tensor2<T> dW_in, dW_out;  ///< gradients, accumulated by backward()
  Tensor1<T> db_in, db_out;
  bool input_grad = true;

  struct Cache {
    Tensor3<T> x;       ///< the input (T, N, E)
    Tensor2<T> qkv;     ///< [Q K V] (T N, 3E)
    Tensor2<T> concat;  ///< the heads' outputs side by side (T N, E)
    Tensor4<T> a;       ///< attention weights (N, h, T, T)
    Lengths lengths;    ///< valid positions per sequence (empty: all T)
  };

  MultiHeadAttention() = default;
  /// PyTorch's initialisation: W_in Xavier-uniform over its (3E, E) shape, W_out uniform in
  /// \f$ \pm 1/\sqrt{E} \f$, biases 0. ValueError unless h divides E.
  MultiHeadAttention(std::size_t embed_dim, std::size_t num_heads, Rng& rng);

  std::size_t embed_dim() const { return W_out.shape(0); }
  std::size_t head_dim() const { return embed_dim() / heads; }

  Tensor3<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  Tensor3<T> backward(const Tensor3<T>& dy, const Cache& cache);

  /// The attention weights averaged over the heads (N, T, T), as PyTorch returns them.
  static Tensor3<T> mean_weights(const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "MultiHeadAttention(64, 4 heads)"
};

extern template struct MultiHeadAttention<float>;
extern template struct MultiHeadAttention<double>;

}  // namespace dl
