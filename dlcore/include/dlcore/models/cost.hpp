#pragma once
/// \file
/// What a network costs per image, counted from its layers' shapes without running it:
/// the output shape, parameters and multiply-adds of every layer for an input of a given
/// size. Chapter 14 prints the tables of the named networks with it.

#include <cstddef>
#include <string>
#include <vector>

#include "dlcore/train/sequential.hpp"

namespace dl {

/// One layer of a network, for one image.
struct LayerCost {
  std::string layer;                   ///< the module's describe()
  std::vector<std::size_t> out_shape;  ///< its output for one image: (C, H, W) or (D)
  std::size_t params = 0;              ///< parameters (weights and biases, BN's gamma and beta)
  /// Multiply-adds of the layer's weights: \f$ C_{out} H_o W_o \cdot C_{in} k_h k_w \f$ for a
  /// convolution, \f$ D_{in} D_{out} \f$ for a dense layer, the sum of its convolutions for a
  /// residual block. Zero for BN, activations, pooling, dropout and flatten, whose few
  /// operations per value are left out, as in the published counts.
  std::size_t madds = 0;
};

/// Every layer's cost and the totals.
struct NetCost {
  std::vector<LayerCost> layers;
  std::size_t params = 0;  ///< sum over the layers: equals Sequential::num_params()
  std::size_t madds = 0;   ///< multiply-adds of one forward pass for one image
};

/// The cost of `net` for one image of shape `image` = (C, H, W), following the shapes from
/// layer to layer as forward() would. Knows Conv2D, DepthwiseConv2D, PointwiseConv2D,
/// Linear, BatchNorm1d/2d, ResidualBlock, Bottleneck, MaxPool2D, AvgPool2D, Flatten and the
/// elementwise layers (ReLU, Dropout, ...); ValueError naming any other module, ShapeError
/// when the shapes do not fit (the same message forward() would give).
template <class T>
NetCost count_cost(Sequential<T>& net, const std::vector<std::size_t>& image);

}  // namespace dl
