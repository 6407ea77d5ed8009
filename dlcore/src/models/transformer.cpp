#include "dlcore/models/transformer.hpp"

#include "dlcore/layers/embedding.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/mean_steps.hpp"
#include "dlcore/layers/positional_encoding.hpp"
#include "dlcore/layers/transformer_block.hpp"

namespace dl {

template <class T>
Sequential<T> transformer_classifier(const TransformerSizes& s, Rng& rng) {
  Sequential<T> net;
  net.add(Embedding<T>(s.vocab, s.embed, rng))
      .add(PositionalEncoding<T>{})
      .add(TransformerEncoderBlock<T>(s.embed, s.heads, s.ff, rng))
      .add(MeanSteps<T>{})
      .add(Linear<T>(s.embed, s.classes, rng, Init::lecun_uniform));
  return net;
}

template Sequential<float> transformer_classifier<float>(const TransformerSizes&, Rng&);
template Sequential<double> transformer_classifier<double>(const TransformerSizes&, Rng&);

}  // namespace dl
