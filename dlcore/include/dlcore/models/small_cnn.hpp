#pragma once
/// \file
/// A small CNN for 28x28 grey images, split into a feature extractor (the body) and a
/// classifier (the head), as transfer learning needs: @ref ch15_augmentation "Chapter 15"
/// trains it on little data, @ref ch16_transfer_learning "Chapter 16" reuses its body.

#include <cstddef>

#include "dlcore/core/rng.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// Width of the feature vector the body outputs.
inline constexpr std::size_t kSmallCnnFeatures = 128;
/// Number of modules in the body (the head is the one Linear layer after them).
inline constexpr std::size_t kSmallCnnBodyModules = 9;

/// The body: Conv 16 3x3 same, ReLU, MaxPool 2, Conv 32 3x3 same, ReLU, MaxPool 2,
/// Flatten, Dense 128, ReLU. Input (N, 1, 28, 28), output features (N, 128).
template <class T>
Sequential<T> small_cnn_body(Rng& rng);

/// Body followed by the head Dense(128 -> classes) (logits). With the same generator state,
/// its body starts with the same weights as small_cnn_body()'s.
template <class T>
Sequential<T> small_cnn(Rng& rng, std::size_t classes = 10);

}  // namespace dl
