#pragma once
/// \file
/// 2-D convolution (cross-correlation, as in every framework) by im2col + GEMM.

#include <cstddef>
#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/init.hpp"

namespace dl {

/// Output length of a convolution or pooling window along one axis:
/// \f$ \lfloor (n + 2p - k) / s \rfloor + 1 \f$. Throws ShapeError (naming `who`) when the
/// window does not fit, e.g. a 5x5 kernel on a 4x4 input without padding.
std::size_t conv_out_size(const std::string& who, std::size_t n, std::size_t k, std::size_t s,
                          std::size_t p);

/// Shape of one image's im2col matrix and of its output map.
struct ConvGeometry {
  std::size_t C = 0, H = 0, W = 0;    ///< input channels, height, width
  std::size_t kh = 0, kw = 0;         ///< kernel height, width
  std::size_t stride = 1, pad = 0;    ///< the same on both axes
  std::size_t Ho = 0, Wo = 0;         ///< output height, width
  std::size_t rows() const { return C * kh * kw; }  ///< rows of the column matrix
  std::size_t cols() const { return Ho * Wo; }      ///< columns: one per output position
};

/// The output positions [lo, hi) along one axis whose input o s + k - p, for kernel offset
/// k, lies inside [0, n): outside that range the window reads padding. Convolution loops
/// (im2col, col2im, the depthwise layer) run over it with no bounds test per element.
struct ValidRange {
  std::size_t lo, hi;
};
ValidRange valid_outputs(std::size_t k, std::size_t pad, std::size_t stride, std::size_t n,
                         std::size_t n_out);

/// im2col for one image: x (C, H, W) -> cols (C kh kw, Ho Wo) with
/// cols[(c kh + i) kw + j, oh Wo + ow] = x[c, oh s + i - p, ow s + j - p] (0 outside).
template <class T>
void im2col(const T* x, const ConvGeometry& g, T* cols);
/// The adjoint of im2col: dx[c, oh s + i - p, ow s + j - p] += dcols[(c kh + i) kw + j, oh Wo + ow].
template <class T>
void col2im(const T* dcols, const ConvGeometry& g, T* dx);

/// 2-D convolution layer (a cross-correlation):
/// \f$ Y_{n,o,h,w} = b_o + \sum_{c,i,j} W_{o,c,i,j}\, X_{n,c,hs+i-p,ws+j-p} \f$.
///
/// Shapes: X (N, C_in, H, W), W (C_out, C_in, kh, kw) as in PyTorch, b (C_out),
/// Y (N, C_out, Ho, Wo) with Ho = (H + 2p - kh)/s + 1. Per image, im2col turns X into a
/// matrix of patches so that the layer is one GEMM: \f$ Y_n = W_{mat}\, \mathrm{cols}(X_n) \f$
/// with \f$ W_{mat} \f$ the (C_out, C_in kh kw) view of W.
/// Derivation of backward: @ref ch12_convolution "Chapter 12, backward through a convolution".
template <class T>
struct Conv2D {
  Tensor4<T> W;   ///< weights (C_out, C_in, kh, kw)
  Tensor1<T> b;   ///< bias (C_out), or empty for a layer without bias
  Tensor4<T> dW;  ///< gradient of W, accumulated by backward()
  Tensor1<T> db;  ///< gradient of b, accumulated by backward()
  std::size_t stride = 1;   ///< step of the window, both axes
  std::size_t padding = 0;  ///< zeros added on each side, both axes
  /// When false, backward() skips dX (the first layer of a network needs none).
  bool input_grad = true;
  /// float layers with 3x3 kernels at stride 1 and 8 or more input channels run forward()
  /// through Winograd's F(2x2, 3x3) (winograd.hpp): the same function with 2.25 times fewer
  /// multiplications, equal to the im2col product to float rounding; so does backward()'s
  /// dX, itself such a convolution (of dY, padded by 2 - p, with the flipped, transposed
  /// filters), where padding <= 2. Either where winograd_applies() to its geometry. False:
  /// always im2col.
  bool winograd = true;

  struct Cache {
    Tensor4<T> x;  ///< the input X; backward rebuilds each image's columns from it
  };

  Conv2D() = default;
  /// A (C_out, C_in, kernel, kernel) convolution; weights from `init` with
  /// fan_in = C_in k^2 and fan_out = C_out k^2, bias zero. With `bias` false the layer has
  /// no b at all (b and db empty, params() lists W only): what a convolution followed by
  /// batch normalisation uses, since BN's beta does the bias's job (ResNet, torchvision).
  Conv2D(std::size_t c_in, std::size_t c_out, std::size_t kernel, Rng& rng,
         std::size_t stride = 1, std::size_t padding = 0, Init init = Init::he_uniform,
         bool bias = true);

  bool has_bias() const { return b.size() != 0; }  ///< false for a layer built with bias = false

  std::size_t c_in() const { return W.shape(1); }
  std::size_t c_out() const { return W.shape(0); }
  std::size_t kh() const { return W.shape(2); }
  std::size_t kw() const { return W.shape(3); }
  /// Geometry for an input of shape (N, C, H, W); ShapeError naming both shapes if it does
  /// not fit this layer.
  ConvGeometry geometry(const std::vector<std::size_t>& x_shape) const;

  /// \f$ Y_n = W_{mat}\, \mathrm{cols}(X_n) + b \mathbf{1}^\top \f$ for every image n; caches X.
  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache) const;
  /// \f$ dW_{mat} \mathrel{+}= \sum_n G_n\, \mathrm{cols}(X_n)^\top \f$,
  /// \f$ db \mathrel{+}= \sum_{n,h,w} G \f$; returns \f$ dX_n = \mathrm{col2im}(W_{mat}^\top G_n) \f$.
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "Conv2D(1 -> 6, 5x5, stride 1, pad 0)", ", no bias" added without one

 private:
  struct Workspace {
    Tensor2<T> cols, dcols;  // one image's columns (and a row of ones) and their gradient (per worker)
    Tensor2<T> dWt;          // one chunk's part of dW, transposed, and of db: (C_in kh kw + 1, C_out)
    std::vector<T> xp, gp;   // stride 1 (float): a padded image and G_n with zeros between rows
  };
  std::vector<Workspace> work_;  // backward's buffers, reused between calls
  std::vector<float> U_dx_;      // Winograd's transformed filters for dX (16 C_in C_out)
};

extern template struct Conv2D<float>;
extern template struct Conv2D<double>;

}  // namespace dl
