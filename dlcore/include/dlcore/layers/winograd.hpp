#pragma once
/// \file
/// Winograd's minimal filtering F(2x2, 3x3) for 3x3 convolutions at stride 1 (Lavin & Gray
/// 2016, "Fast Algorithms for Convolutional Neural Networks"): each 2x2 block of outputs
/// from a 4x4 block of inputs with 16 multiplications instead of 36,
/// \f$ Y = A^\top \big[ (G g G^\top) \odot (B^\top d B) \big] A \f$. Summed over input
/// channels, the 16 element-wise products become 16 matrix products
/// \f$ M_\xi = U_\xi V_\xi \f$ (C_out x C_in times C_in x tiles), which is where the time goes.
/// Derivation: @ref ch24_performance "Chapter 24, Winograd's convolution".

#include <cstddef>

#include "dlcore/layers/conv2d.hpp"

namespace dl {

/// U[xi][o][c] = (G g_{o,c} G^T)[xi] for W (C_out, C_in, 3, 3): the filters in the transformed
/// domain, 16 x C_out x C_in floats, xi = 4 i + j for element (i, j) of the 4x4 tile.
void winograd_filters(const float* W, std::size_t c_out, std::size_t c_in, float* U);

/// Y (images, C_out, Ho, Wo) = the 3x3, stride-1 cross-correlation of x (images, C, H, W)
/// with the filters U (from winograd_filters) plus `bias` (C_out values, or null), for the
/// geometry g (kh = kw = 3, stride 1, any padding). Runs on the calling thread.
void winograd_conv3x3(const float* x, std::size_t images, const ConvGeometry& g,
                      const float* U, std::size_t c_out, const float* bias, float* y);

/// Whether a float convolution of this geometry runs through Winograd: 3x3 kernel, stride 1,
/// 8 or more input channels (for the transforms to pay), and outputs that the 2x2 tiles cover
/// with at most 20% waste (even sizes, or odd ones of 11 or more). Conv2D asks it for its
/// forward pass and for its input gradient (a convolution of dY with the flipped filters).
bool winograd_applies(const ConvGeometry& g);

}  // namespace dl
