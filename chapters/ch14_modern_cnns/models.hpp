#pragma once
// Chapter 14's scaled-down modern CNNs for 28x28 grey images, as Sequential models, and the
// arithmetic of a standard vs a depthwise-separable convolution.
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>

namespace ch14 {

using Net = dl::Sequential<float>;

//! [alexnet_style]
/// AlexNet's ideas at Fashion-MNIST scale: large (5x5) filters, ReLU, max pooling, and
/// dropout in a wide dense head. No batch normalisation (AlexNet predates it).
inline Net alexnet_style(dl::Rng& rng, std::size_t w) {
  Net net;
  net.add(dl::Conv2D<float>(1, w, 5, rng, 1, 2)).add(dl::ReLU<float>{}).add(dl::MaxPool2D<float>(2))
      .add(dl::Conv2D<float>(w, 2 * w, 5, rng, 1, 2)).add(dl::ReLU<float>{}).add(dl::MaxPool2D<float>(2))
      .add(dl::Flatten<float>{}).add(dl::Dropout<float>(0.5f))
      .add(dl::Linear<float>(2 * w * 7 * 7, 256, rng, dl::Init::he_uniform)).add(dl::ReLU<float>{})
      .add(dl::Dropout<float>(0.5f)).add(dl::Linear<float>(256, 10, rng));
  return net;
}
//! [alexnet_style]

/// conv 3x3 (padding 1) -> BN -> ReLU: the unit VGG stacks (with BN, as VGG-BN does).
inline void conv_bn_relu(Net& net, dl::Rng& rng, std::size_t c_in, std::size_t c_out, std::size_t stride = 1) {
  net.add(dl::Conv2D<float>(c_in, c_out, 3, rng, stride, 1)).add(dl::BatchNorm2d<float>(c_out)).add(dl::ReLU<float>{});
}

/// depthwise 3x3 -> BN -> ReLU -> pointwise 1x1 -> BN -> ReLU: MobileNet's replacement for
/// conv_bn_relu.
inline void separable_bn_relu(Net& net, dl::Rng& rng, std::size_t c_in, std::size_t c_out, std::size_t stride = 1) {
  net.add(dl::DepthwiseConv2D<float>(c_in, 3, rng, stride, 1)).add(dl::BatchNorm2d<float>(c_in)).add(dl::ReLU<float>{})
      .add(dl::PointwiseConv2D<float>(c_in, c_out, rng)).add(dl::BatchNorm2d<float>(c_out)).add(dl::ReLU<float>{});
}

/// Global average pooling of a (N, C, s, s) map, then the classifier.
inline void head(Net& net, dl::Rng& rng, std::size_t c, std::size_t s) {
  net.add(dl::AvgPool2D<float>(s)).add(dl::Flatten<float>{}).add(dl::Linear<float>(c, 10, rng));
}

//! [vgg_style]
/// VGG's idea: only 3x3 convolutions, two per stage, channels doubling as the map halves.
inline Net vgg_style(dl::Rng& rng, std::size_t w) {
  Net net;
  conv_bn_relu(net, rng, 1, w), conv_bn_relu(net, rng, w, w), net.add(dl::MaxPool2D<float>(2));           // 14x14
  conv_bn_relu(net, rng, w, 2 * w), conv_bn_relu(net, rng, 2 * w, 2 * w), net.add(dl::MaxPool2D<float>(2));  // 7x7
  conv_bn_relu(net, rng, 2 * w, 4 * w);
  head(net, rng, 4 * w, 7);
  return net;
}
//! [vgg_style]

//! [resnet_style]
/// ResNet's idea: a stem convolution, then residual blocks; a stride-2 block with a
/// projection shortcut halves the map and doubles the channels.
inline Net resnet_style(dl::Rng& rng, std::size_t w) {
  Net net;
  conv_bn_relu(net, rng, 1, w);                                         // 28x28
  net.add(dl::ResidualBlock<float>(w, w, rng));                         // identity shortcut
  net.add(dl::ResidualBlock<float>(w, 2 * w, rng, 2));                  // 14x14, projection
  net.add(dl::ResidualBlock<float>(2 * w, 2 * w, rng));
  net.add(dl::ResidualBlock<float>(2 * w, 4 * w, rng, 2));              // 7x7, projection
  head(net, rng, 4 * w, 7);
  return net;
}
//! [resnet_style]

/// The VGG-style network with every 3x3 convolution after the first made depthwise-separable.
inline Net separable_style(dl::Rng& rng, std::size_t w) {
  Net net;
  conv_bn_relu(net, rng, 1, w), separable_bn_relu(net, rng, w, w), net.add(dl::MaxPool2D<float>(2));
  separable_bn_relu(net, rng, w, 2 * w), separable_bn_relu(net, rng, 2 * w, 2 * w), net.add(dl::MaxPool2D<float>(2));
  separable_bn_relu(net, rng, 2 * w, 4 * w);
  head(net, rng, 4 * w, 7);
  return net;
}

//! [degradation_nets]
/// For the degradation experiment: a stem (conv 3x3, BN, ReLU, max pool to 14x14), then
/// `blocks` blocks of two 3x3 convolutions at `c` channels, with identity shortcuts
/// (residual) or without (plain: the same layers, the same initial weights), global
/// average pooling and a linear classifier: 2 * blocks + 2 weight layers.
inline Net stacked(dl::Rng& rng, std::size_t c, std::size_t blocks, bool residual) {
  Net net;
  conv_bn_relu(net, rng, 1, c);
  net.add(dl::MaxPool2D<float>(2));
  for (std::size_t b = 0; b < blocks; ++b)
    net.add(dl::ResidualBlock<float>(c, c, rng, 1, residual ? dl::Shortcut::identity : dl::Shortcut::none));
  head(net, rng, c, 14);
  return net;
}
//! [degradation_nets]

//! [conv_cost]
/// Parameters and multiply-adds of one layer from C_in to C_out channels on an H x W map
/// (stride 1, same padding), standard k x k convolution vs depthwise k x k + pointwise 1x1.
struct ConvCost {
  std::size_t params_standard, params_separable;
  std::size_t madds_standard, madds_separable;
};
inline ConvCost conv_cost(std::size_t c_in, std::size_t c_out, std::size_t k, std::size_t hw) {
  ConvCost c;
  c.params_standard = c_out * c_in * k * k + c_out;                // W (C_out, C_in, k, k), b
  c.params_separable = c_in * k * k + c_in + c_out * c_in + c_out;  // depthwise + pointwise
  c.madds_standard = hw * c_out * c_in * k * k;                    // per output: C_in k^2
  c.madds_separable = hw * c_in * k * k + hw * c_out * c_in;       // k^2 per channel, then C_in
  return c;
}
//! [conv_cost]

}  // namespace ch14
