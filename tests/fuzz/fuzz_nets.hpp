#pragma once
// The networks the model and checkpoint harnesses load into, and the settings of the
// checkpointed run: small, so that a seed file is a few kilobytes, with every kind of
// tensor a model file holds (convolution and dense weights, BatchNorm's running buffers).

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/train/sequential.hpp"

namespace fuzz {

/// (N, 1, 6, 6) -> Conv 2 3x3 -> BN -> ReLU -> MaxPool 2 -> Flatten (8) -> Linear(8 -> 3).
inline dl::Sequential<float> model_net() {
  dl::Rng rng(1);
  dl::Sequential<float> net;
  net.add(dl::Conv2D<float>(1, 2, 3, rng))
      .add(dl::BatchNorm2d<float>(2))
      .add(dl::ReLU<float>{})
      .add(dl::MaxPool2D<float>(2))
      .add(dl::Flatten<float>{})
      .add(dl::Linear<float>(8, 3, rng));
  return net;
}
inline constexpr std::size_t kModelClasses = 3;

/// 2 -> 4 ReLU -> 2, trained with Adam in the checkpoint harness.
inline dl::Sequential<float> checkpoint_net() {
  dl::Rng rng(2);
  dl::Sequential<float> net;
  net.add(dl::Linear<float>(2, 4, rng)).add(dl::ReLU<float>{}).add(dl::Linear<float>(4, 2, rng));
  return net;
}
/// What fit() stores for 12 examples in batches of 4 with 6 validation examples.
inline nlohmann::json checkpoint_settings() {
  return {{"examples", 12}, {"batch_size", 4}, {"shuffle", true}, {"validation", 6}};
}

}  // namespace fuzz
