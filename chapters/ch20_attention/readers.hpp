#pragma once
// Chapter 20's second experiment: which language is a word? A Transformer encoder block reads
// the letters all at once (self-attention), a GRU reads them one after the other (Chapters
// 18-19); both trained with the same data, optimizer and epochs.
#include <dlcore/dlcore.hpp>
#include <datasets/words.hpp>

namespace ch20 {

using namespace dl;
using WordData = Dataset<Tensor2<float>>;

struct ReaderSettings {
  std::size_t batch = 128, embed = 64, heads = 4, ff = 256;  // the Transformer
  std::size_t gru_embed = 32, gru_hidden = 128;              // the GRU reader (Chapter 19's sizes)
  float lr = 1e-3f, gru_lr = 2e-3f;
  int epochs = 5;
  bool progress = true;
};

/// One reader trained and tested.
struct ReaderRun {
  std::string name;
  History history;
  double test_accuracy = 0, test_loss = 0;
  std::size_t num_params = 0;
};

/// The recurrent reader: Embedding (V -> 32), GRU (32 -> 128), the last step, Linear (128 -> K).
inline Sequential<float> gru_reader(std::size_t vocab, std::size_t classes, const ReaderSettings& s, Rng& rng) {
  Sequential<float> net;
  net.add(Embedding<float>(vocab, s.gru_embed, rng))
      .add(GRU<float>(s.gru_embed, s.gru_hidden, rng))
      .add(LastStep<float>{})
      .add(Linear<float>(s.gru_hidden, classes, rng, Init::lecun_uniform));
  return net;
}

inline ReaderRun train_reader(const std::string& name, Sequential<float>& net, float lr, const WordData& train,
                              const WordData& val, const WordData& test, const ReaderSettings& s, Rng& rng) {
  Adam<float> adam(lr);
  FitOptions fo;
  fo.epochs = s.epochs;
  fo.batch_size = s.batch;
  fo.progress = s.progress;
  fo.lengths = &train.lengths;  // each batch's lengths reach the layers through the Context
  ReaderRun r{name, {}, 0, 0, net.num_params()};
  r.history = fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo, &val);
  const Evaluation ev = evaluate(net, SoftmaxCrossEntropy<float>{}, test.X, test.y, 512, &test.lengths);
  r.test_accuracy = ev.accuracy;
  r.test_loss = ev.loss;
  fmt::print("{}: test accuracy {:.4f}, {} parameters, {:.1f} s per epoch\n", name, ev.accuracy, r.num_params,
             r.history.seconds / double(r.history.epochs.size()));
  std::fflush(stdout);
  return r;
}

/// The Transformer block's attention weights (averaged over the heads) for one word: (L, L),
/// row i = how much position i reads every position.
inline Tensor2<double> word_attention(Sequential<float>& net, const std::u32string& word,
                                      const datasets::CharVocab& vocab) {
  const std::size_t L = word.size();
  Tensor2<float> ids = Tensor2<float>::from_shape({1, L});
  for (std::size_t t = 0; t < L; ++t) ids(0, t) = float(vocab.id(word[t]));
  Embedding<float>::Cache ec;
  PositionalEncoding<float>::Cache pc;
  TransformerEncoderBlock<float>::Cache bc;
  const Tensor3<float> x = net.layer<PositionalEncoding<float>>(1).forward(net.layer<Embedding<float>>(0).forward(ids, ec), pc);
  net.layer<TransformerEncoderBlock<float>>(2).forward(x, bc);
  const Tensor3<float> w = MultiHeadAttention<float>::mean_weights(bc.attn);
  Tensor2<double> out = Tensor2<double>::from_shape({L, L});
  for (std::size_t i = 0; i < L * L; ++i) out.data()[i] = double(w.data()[i]);
  return out;
}

}  // namespace ch20
