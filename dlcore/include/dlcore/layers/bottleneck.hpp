#pragma once
/// \file
/// The bottleneck block of ResNet-50/101/152 (He, Zhang, Ren & Sun 2016, figure 5): a 1x1
/// convolution that narrows the channels, a 3x3 convolution at the narrow width, a 1x1
/// convolution that widens them four times, and a shortcut around the three.

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/conv2d.hpp"

namespace dl {

/// Bottleneck block \f$ y = \mathrm{relu}(F(x) + S(x)) \f$ with
/// \f$ F(x) = \mathrm{BN}_3(W_3 * \mathrm{relu}(\mathrm{BN}_2(W_2 * \mathrm{relu}(\mathrm{BN}_1(W_1 * x))))) \f$:
/// \f$ W_1 \f$ 1x1 from C_in to `width` channels, \f$ W_2 \f$ 3x3 (padding 1) at `width` with the
/// block's stride, \f$ W_3 \f$ 1x1 from `width` to 4 `width`. The convolutions have no bias
/// (each BN's beta is its bias). The shortcut is the identity when C_in = 4 width and the
/// stride is 1, else a projection \f$ S(x) = \mathrm{BN}_s(W_s * x) \f$, a 1x1 convolution
/// with the block's stride (option B of the paper).
///
/// The stride sits on the 3x3 convolution, as in torchvision's ResNet-50 ("v1.5"); the
/// paper puts it on the first 1x1. The parameters are the same either way.
///
/// Shapes: X (N, C_in, H, W), Y (N, 4 width, H', W') with H' = (H - 1)/stride + 1.
/// Backward: as for dl::ResidualBlock, \f$ dz = dy \odot [y > 0] \f$ goes back through the
/// three layers of F and through S, and the two input gradients add.
/// Derivation: @ref ch14_resnet "Chapter 14".
template <class T>
struct Bottleneck {
  static constexpr std::size_t expansion = 4;  ///< output channels per unit of width
  Conv2D<T> conv1, conv2, conv3;    ///< 1x1 reduce, 3x3, 1x1 expand
  BatchNorm2d<T> bn1, bn2, bn3;     ///< their batch normalisations
  Conv2D<T> proj;                   ///< 1x1 projection of the shortcut (when shapes differ)
  BatchNorm2d<T> proj_bn;           ///< its batch normalisation
  bool projection = false;          ///< whether the shortcut is the projection
  /// When false, backward() skips dX (the block is the first layer of a network).
  bool input_grad = true;

  struct Cache {
    typename Conv2D<T>::Cache c1, c2, c3, cp;
    typename BatchNorm2d<T>::Cache b1, b2, b3, bp;
    Tensor4<T> a1;  ///< relu(BN_1(W_1 * x)): its sign is the first ReLU's mask
    Tensor4<T> a2;  ///< relu(BN_2(W_2 * a1)): the second ReLU's mask
    Tensor4<T> y;   ///< the block's output: the last ReLU's mask
  };

  Bottleneck() = default;
  /// A block from C_in to 4 `width` channels; convolutions He-initialised (normal), BN
  /// gamma 1, beta 0. ValueError for a zero size.
  Bottleneck(std::size_t c_in, std::size_t width, Rng& rng, std::size_t stride = 1);

  std::size_t c_in() const { return conv1.c_in(); }
  std::size_t width() const { return conv1.c_out(); }
  std::size_t c_out() const { return conv3.c_out(); }
  std::size_t stride() const { return conv2.stride; }

  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache, const Context& ctx);
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache);

  /// "conv1.W", "bn1.gamma", "bn1.beta", ..., "conv3.W", "bn3.beta", then "proj.W",
  /// "proj_bn.gamma", "proj_bn.beta" for a projection.
  std::vector<ParamRef<T>> params();
  /// "bn1.running_mean", ..., "proj_bn.running_var".
  std::vector<ParamRef<T>> buffers();
  std::string describe() const;  ///< "Bottleneck(256 -> 64 -> 256, stride 1, identity)"
};

extern template struct Bottleneck<float>;
extern template struct Bottleneck<double>;

}  // namespace dl
