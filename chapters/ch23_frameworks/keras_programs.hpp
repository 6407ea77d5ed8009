#pragma once
// Chapter 23: the seeds' five Keras programs as dlcore programs, one function each. Every
// function is the Keras listing line for line (the comments quote the Keras line); the page
// (docs/ch23_frameworks.md) shows both side by side. Text: docs/ch23_frameworks.md
#include <dlcore/dlcore.hpp>

namespace ch23 {

using Flat = dl::Dataset<dl::Tensor2<float>>;     // Fashion-MNIST as rows of 784 pixels
using Images = dl::Dataset<dl::Tensor4<float>>;   // Fashion-MNIST as (N, 1, 28, 28)
using Points = dl::Dataset<dl::Tensor2<float>, dl::Tensor2<float>>;  // regression: X (N, 2), y (N, 1)

/// The budget of one training run: the seeds' epochs, or fewer to keep the chapter short.
struct Budget {
  int epochs = 1;
  bool progress = true;
};

/// What one program reports: the trained network, its learning curves and its score on the
/// test set (accuracy for the classifiers, root mean squared error for the regression).
struct Outcome {
  dl::Sequential<float> net;
  dl::History history;
  dl::Tensor2<float> test_outputs;  ///< logits (or predictions) for every test example
  double test_loss = 0, test_score = 0;
};

/// 002: Dense(512, relu) -> Dense(10, softmax), Adam(lr=0.001), batch 128.
Outcome keras_mlp(const Flat& train, const Flat& val, const Flat& test, const Budget& b, dl::Rng& rng);
/// 000: LeNet-5 (Conv 6 5x5, pool, Conv 16 5x5, pool, Dense 120, 84, 10), Adam, batch 128.
Outcome keras_lenet5(const Images& train, const Images& val, const Images& test, const Budget& b, dl::Rng& rng);
/// 003 section 4.1: the 32-32-64-64 CNN with dropout, Adam, batch 32.
Outcome keras_cnn(const Images& train, const Images& val, const Images& test, const Budget& b, dl::Rng& rng);
/// 003 section 3.4: Dense(16, relu), Dropout(0.5), Dense(16, relu), Dropout(0.5),
/// Dense(1, linear); mean squared error, Adam, batch 32.
Outcome keras_dropout_mlp(const Points& train, const Points& val, const Points& test, const Budget& b, dl::Rng& rng);
/// 003 section 4.2: Embedding, SimpleRNN(64, return_sequences=True), SimpleRNN(32),
/// Dense(1, sigmoid); binary cross-entropy, RMSprop, batch 64. Sequences of token ids
/// (N, T) with their lengths; labels 0/1 as (N, 1).
Outcome keras_simple_rnn(const Points& train, const Points& val, const Points& test, std::size_t vocab,
                         const Budget& b, dl::Rng& rng);

/// The regression data for the dropout MLP (the seed gives none): x uniform in [-1, 1]^2,
/// \f$ y = \sin(\pi x_1) \cos(\pi x_2 / 2) + \varepsilon,\ \varepsilon \sim N(0, 0.1^2) \f$.
Points wave_regression(std::size_t n, dl::Rng& rng);

/// The SimpleRNN task (IMDB and GloVe are not on this machine): is a word English (0) or
/// French (1)? Words from the Debian word lists as character ids (N, 20) with their lengths.
struct Words {
  Points train, val, test;
  std::size_t vocab = 0;
};
Words english_or_french(const std::filesystem::path& dict_dir, std::size_t per_language);

}  // namespace ch23
