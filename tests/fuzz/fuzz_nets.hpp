#pragma once
// The networks the model and checkpoint harnesses load into, and the settings of the
// checkpointed run: small, so that a seed file is a few kilobytes, with every kind of
// tensor a model file holds (convolution and dense weights, BatchNorm's running buffers).

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/embedding.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/last_step.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"
#include "dlcore/layers/rnn.hpp"
#include "dlcore/models/recurrent.hpp"
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

/// The recurrent models of Part IV, tiny (their seed files are a few kilobytes):
/// many-to-one LSTM, sequence_to_one(lstm, 3 -> 4 -> 3);
inline dl::Sequential<float> lstm_net() {
  dl::Rng rng(3);
  return dl::sequence_to_one<float>(dl::CellKind::lstm, 3, 4, kModelClasses, rng);
}
/// many-to-many GRU over the last 2 steps, sequence_to_steps(gru, 3 -> 4 -> 3, k = 2);
inline dl::Sequential<float> gru_steps_net() {
  dl::Rng rng(4);
  return dl::sequence_to_steps<float>(dl::CellKind::gru, 3, 4, kModelClasses, 2, rng);
}
/// a character model: Embedding(6 -> 3) -> RNN(3 -> 4) -> LastStep -> Linear(4 -> 3).
inline dl::Sequential<float> embedding_net() {
  dl::Rng rng(5);
  dl::Sequential<float> net;
  net.add(dl::Embedding<float>(6, 3, rng))
      .add(dl::RNN<float>(3, 4, rng))
      .add(dl::LastStep<float>{})
      .add(dl::Linear<float>(4, kModelClasses, rng));
  return net;
}

/// Every network a model file may be loaded into, by name (the seed files' names), with an
/// input it takes: a model that loads must then run forward.
struct ModelCase {
  const char* name;
  dl::Sequential<float> net;
  dl::AnyTensor<float> x;
};
inline std::vector<ModelCase> model_cases() {
  std::vector<ModelCase> cases;
  cases.push_back({"model", model_net(), dl::AnyTensor<float>(dl::Tensor4<float>(xt::ones<float>({2, 1, 6, 6})))});
  cases.push_back({"lstm", lstm_net(), dl::AnyTensor<float>(dl::Tensor3<float>(xt::ones<float>({4, 2, 3})))});
  cases.push_back({"gru_steps", gru_steps_net(), dl::AnyTensor<float>(dl::Tensor3<float>(xt::ones<float>({4, 2, 3})))});
  cases.push_back({"embedding", embedding_net(), dl::AnyTensor<float>(dl::Tensor2<float>{{0, 1, 5, 2}, {3, 4, 0, 0}})});
  return cases;
}

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
