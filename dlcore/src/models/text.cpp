#include "dlcore/models/text.hpp"

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/attention_pool.hpp"
#include "dlcore/layers/conv1d.hpp"
#include "dlcore/layers/embedding.hpp"
#include "dlcore/layers/last_step.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/max_over_time.hpp"

namespace dl {

template <class T>
Sequential<T> text_rnn_classifier(CellKind cell, std::size_t vocab, std::size_t emb, std::size_t hidden,
                                  std::size_t classes, Rng& rng) {
  Sequential<T> net;
  net.add(Embedding<T>(vocab, emb, rng));
  add_recurrent(net, cell, emb, hidden, rng);
  net.add(LastStep<T>{}).add(Linear<T>(hidden, classes, rng, Init::lecun_uniform));
  return net;
}

template <class T>
Sequential<T> text_cnn_classifier(std::size_t vocab, std::size_t emb, std::size_t channels,
                                  std::size_t kernel, std::size_t classes, Rng& rng) {
  Sequential<T> net;
  net.add(Embedding<T>(vocab, emb, rng))
      .add(Conv1D<T>(emb, channels, kernel, rng)).add(ReLU<T>{})
      .add(Conv1D<T>(channels, channels, kernel, rng)).add(ReLU<T>{})
      .add(MaxOverTime<T>{})
      .add(Linear<T>(channels, classes, rng, Init::lecun_uniform));
  return net;
}

template <class T>
Sequential<T> text_attention_classifier(CellKind cell, std::size_t vocab, std::size_t emb,
                                        std::size_t hidden, std::size_t classes, Rng& rng) {
  Sequential<T> net;
  net.add(Embedding<T>(vocab, emb, rng));
  add_recurrent(net, cell, emb, hidden, rng);
  net.add(AttentionPool<T>(hidden)).add(Linear<T>(hidden, classes, rng, Init::lecun_uniform));
  return net;
}

#define DL_INSTANTIATE(T)                                                                             \
  template Sequential<T> text_rnn_classifier<T>(CellKind, std::size_t, std::size_t, std::size_t,      \
                                                std::size_t, Rng&);                                   \
  template Sequential<T> text_cnn_classifier<T>(std::size_t, std::size_t, std::size_t, std::size_t,   \
                                                std::size_t, Rng&);                                   \
  template Sequential<T> text_attention_classifier<T>(CellKind, std::size_t, std::size_t, std::size_t, \
                                                      std::size_t, Rng&);
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace dl
