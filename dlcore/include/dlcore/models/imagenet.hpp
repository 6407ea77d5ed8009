#pragma once
/// \file
/// The source articles' named networks as published, for 224x224 RGB images (N, 3, 224, 224)
/// and 1,000 ImageNet classes: VGG-16, ResNet-50 and AlexNet in torchvision's one-tower
/// form. Their parameter counts are torchvision's (a test checks them); chapter 14 counts
/// their multiply-adds (models/cost.hpp) and times one training step of each.
/// Text: @ref ch14_named "Chapter 14, the named networks".

#include <cstddef>

#include "dlcore/core/rng.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// VGG-16 (Simonyan & Zisserman 2015, configuration D): thirteen 3x3 convolutions (padding 1,
/// with bias, ReLU after each) in five stages of 64, 128, 256, 512, 512 channels (2, 2, 3, 3,
/// 3 convolutions), each stage ended by 2x2 max pooling (224 -> 7), then Dense 4096 ReLU
/// Dropout 0.5, Dense 4096 ReLU Dropout 0.5, Dense `classes` (logits).
/// 138,357,544 parameters for 1,000 classes. torchvision's adaptive 7x7 average pooling
/// before the dense layers is the identity on 224x224 input and left out.
template <class T>
Sequential<T> vgg16(Rng& rng, std::size_t classes = 1000);

/// ResNet-50 (He, Zhang, Ren & Sun 2016, table 1) as torchvision builds it: a 7x7 stride-2
/// convolution to 64 channels, BN, ReLU, 3x3 stride-2 max pooling (224 -> 56); then 3, 4, 6
/// and 3 dl::Bottleneck blocks of width 64, 128, 256, 512 (output 256, 512, 1024, 2048
/// channels), the first block of each stage with a projection shortcut and, from the second
/// stage on, stride 2 (56 -> 28 -> 14 -> 7); global average pooling, Dense `classes`.
/// Convolutions have no bias (BN follows each). 25,557,032 parameters for 1,000 classes.
template <class T>
Sequential<T> resnet50(Rng& rng, std::size_t classes = 1000);

/// AlexNet in torchvision's one-tower form (Krizhevsky's "one weird trick" variant, 2014):
/// Conv 64 11x11 stride 4 pad 2, ReLU, MaxPool 3 stride 2; Conv 192 5x5 pad 2, ReLU,
/// MaxPool 3 stride 2; Conv 384, 256, 256 3x3 pad 1 with ReLU; MaxPool 3 stride 2
/// (224 -> 55 -> 27 -> 13 -> 6); Dropout 0.5, Dense 4096 ReLU, Dropout 0.5, Dense 4096 ReLU,
/// Dense `classes`. 61,100,840 parameters for 1,000 classes (the 2012 paper's two-tower
/// network, 48 + 48 filters in its first layer, had about 60 million). torchvision's
/// adaptive 6x6 average pooling is the identity on 224x224 input and left out.
template <class T>
Sequential<T> alexnet(Rng& rng, std::size_t classes = 1000);

}  // namespace dl
