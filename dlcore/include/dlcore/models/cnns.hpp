#pragma once
/// \file
/// The seeds' two convolutional networks for 28x28 grey images (Fashion-MNIST), as
/// Sequential models: LeNet-5 and the deeper 32-32-64-64 CNN. Built in
/// @ref ch13_lenet5 "Chapter 13"; reused by later chapters and by `make bench`.

#include <cstddef>

#include "dlcore/core/rng.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// LeNet-5 as the seed writes it (Keras defaults: "valid" convolutions, 2x2 max pooling):
/// Conv 6 5x5 ReLU, MaxPool 2, Conv 16 5x5 ReLU, MaxPool 2, Flatten,
/// Dense 120 ReLU, Dense 84 ReLU, Dense `classes` (logits; the loss applies the softmax).
/// Input (N, 1, 28, 28); 44,426 parameters for 10 classes.
template <class T>
Sequential<T> lenet5(Rng& rng, std::size_t classes = 10);

/// The seed's deeper CNN: Conv 32 3x3 same, Conv 32 3x3 valid, MaxPool 2, Dropout 0.25,
/// Conv 64 3x3 same, Conv 64 3x3 valid, MaxPool 2, Dropout 0.25, Flatten,
/// Dense 512 ReLU, Dropout 0.5, Dense `classes` (logits); ReLU after every convolution.
/// Input (N, 1, 28, 28); 889,834 parameters for 10 classes.
template <class T>
Sequential<T> seed_cnn(Rng& rng, std::size_t classes = 10);

}  // namespace dl
