#pragma once
/// \file
/// 1-D convolution over time for sequence batches: the text CNN's filters slide along the
/// characters of a word (Kim 2014; Zhang, Zhao & LeCun 2015).
/// Derivation: @ref ch19_conv1d "Chapter 19, convolution over time".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/init.hpp"

namespace dl {

/// A cross-correlation over time with "same" zero padding and stride 1:
/// \f[ Y_{t,n,o} = b_o + \sum_{j=0}^{k-1} \sum_{d} W_{o,d,j}\, X_{t+j-p,\,n,\,d},
///     \qquad p = \lfloor (k-1)/2 \rfloor, \f]
/// where \f$ X_{s,n} \f$ reads as 0 outside \f$ 0 \le s < L_n \f$, the length of sequence n
/// (ctx.lengths; none: all T). Outputs at \f$ t \ge L_n \f$ are 0 and take no gradient, so
/// each word of a padded batch gets exactly what it would get alone (PyTorch's
/// `nn.Conv1d(D, C, k, padding='same')` on that word by itself).
///
/// Shapes: X (T, N, D) time-major as dl::Embedding returns it, W (C_out, D, k) as PyTorch's
/// Conv1d weight, b (C_out), Y (T, N, C_out). Like Conv2D (Chapter 12) it is one GEMM on the
/// im2col matrix: cols (T N, D k) with \f$ \text{cols}_{(t,n),\,d k + j} = X_{t+j-p,\,n,\,d} \f$,
/// \f$ Y = \text{cols}\, W_{mat}^\top + \mathbf 1 b^\top \f$, \f$ W_{mat} \f$ the (C_out, D k)
/// view of W. Backward: \f$ \nabla W_{mat} \mathrel{+}= G^\top \text{cols} \f$,
/// \f$ \nabla b \mathrel{+}= \mathbf 1^\top G \f$, \f$ \nabla\text{cols} = G\, W_{mat} \f$ scattered
/// back by col2im (G: dY with the padded steps zeroed).
template <class T>
struct Conv1D {
  Tensor3<T> W;   ///< filters (C_out, D, k)
  Tensor1<T> b;   ///< bias (C_out)
  Tensor3<T> dW;  ///< gradient of W, accumulated by backward()
  Tensor1<T> db;  ///< gradient of b, accumulated by backward()
  /// When false, backward() skips dX (the first layer of a network needs none).
  bool input_grad = true;

  struct Cache {
    Tensor2<T> cols;        ///< the im2col matrix (T N, D k): backward's dW needs it
    std::size_t steps = 0;  ///< T
    std::size_t batch = 0;  ///< N
    Lengths lengths;        ///< empty: all T
  };

  Conv1D() = default;
  /// C_out filters of width k over D inputs; weights from `init` with fan_in = D k and
  /// fan_out = C_out k, bias zero.
  Conv1D(std::size_t d_in, std::size_t c_out, std::size_t kernel, Rng& rng,
         Init init = Init::he_uniform);

  std::size_t d_in() const { return W.shape(1); }
  std::size_t c_out() const { return W.shape(0); }
  std::size_t kernel() const { return W.shape(2); }
  std::size_t left_pad() const { return (kernel() - 1) / 2; }  ///< p

  /// Y (T, N, C_out) from X (T, N, D); lengths from ctx.lengths.
  Tensor3<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  /// dX (T, N, D) from dY (T, N, C_out); accumulates dW and db.
  Tensor3<T> backward(const Tensor3<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "Conv1D(32 -> 128, k 3)"
};

extern template struct Conv1D<float>;
extern template struct Conv1D<double>;

}  // namespace dl
