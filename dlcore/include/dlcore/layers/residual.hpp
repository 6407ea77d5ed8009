#pragma once
/// \file
/// The residual block of ResNet (He, Zhang, Ren & Sun 2016): two 3x3 convolutions with
/// batch normalisation, plus a shortcut that carries the input around them.

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/conv2d.hpp"

namespace dl {

/// What carries x around the block's two convolutions.
enum class Shortcut {
  automatic,   ///< identity when the shapes allow it, projection when they do not
  identity,    ///< \f$ S(x) = x \f$: same channels, stride 1
  projection,  ///< \f$ S(x) = \mathrm{BN}(W_s * x) \f$: a 1x1 convolution with the block's stride
  none         ///< no shortcut at all: a "plain" block, for measuring what the shortcut does
};

/// Residual block \f$ y = \mathrm{relu}(F(x) + S(x)) \f$ with
/// \f$ F(x) = \mathrm{BN}_2(W_2 * \mathrm{relu}(\mathrm{BN}_1(W_1 * x))) \f$, both convolutions
/// 3x3 with padding 1, the first with the block's stride.
///
/// Shapes: X (N, C_in, H, W), Y (N, C_out, H', W') with H' = (H - 1)/stride + 1.
/// Backward: the sum fans the gradient out unchanged to both branches,
/// \f$ dx = \frac{\partial F}{\partial x}^\top dz + \frac{\partial S}{\partial x}^\top dz \f$ with
/// \f$ dz = dy \odot [y > 0] \f$; for the identity shortcut the second term is dz itself.
/// Derivation: @ref ch14_modern_cnns "Chapter 14".
template <class T>
struct ResidualBlock {
  Conv2D<T> conv1, conv2;    ///< the two 3x3 convolutions of F
  BatchNorm2d<T> bn1, bn2;   ///< their batch normalisations
  Conv2D<T> proj;            ///< 1x1 projection of the shortcut (projection only)
  BatchNorm2d<T> proj_bn;    ///< its batch normalisation (projection with proj_batchnorm)
  Shortcut shortcut = Shortcut::identity;  ///< identity, projection or none (never automatic)
  bool proj_batchnorm = true;              ///< whether the projection has its BN
  /// When false, backward() skips dX (the block is the first layer of a network).
  bool input_grad = true;

  struct Cache {
    typename Conv2D<T>::Cache c1, c2, cp;
    typename BatchNorm2d<T>::Cache b1, b2, bp;
    Tensor4<T> a1;  ///< relu(BN_1(W_1 * x)): its sign is the first ReLU's mask
    Tensor4<T> y;   ///< the block's output: its sign is the last ReLU's mask
  };

  ResidualBlock() = default;
  /// A block from C_in to C_out channels; convolutions He-initialised, BN gamma 1, beta 0.
  /// ValueError for an identity shortcut across a change of channels or a stride.
  ResidualBlock(std::size_t c_in, std::size_t c_out, Rng& rng, std::size_t stride = 1,
                Shortcut shortcut = Shortcut::automatic, bool proj_batchnorm = true);

  std::size_t c_in() const { return conv1.c_in(); }
  std::size_t c_out() const { return conv2.c_out(); }
  std::size_t stride() const { return conv1.stride; }

  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache, const Context& ctx);
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache);

  /// "conv1.W", "conv1.b", "bn1.gamma", ..., "proj.W", "proj_bn.beta".
  std::vector<ParamRef<T>> params();
  /// "bn1.running_mean", ..., "proj_bn.running_var".
  std::vector<ParamRef<T>> buffers();
  std::string describe() const;  ///< "ResidualBlock(16 -> 32, stride 2, projection)"
};

extern template struct ResidualBlock<float>;
extern template struct ResidualBlock<double>;

}  // namespace dl
