#pragma once
/// \file
/// Word vectors by skip-gram with negative sampling (word2vec: Mikolov, Chen, Corrado & Dean
/// 2013; Mikolov, Sutskever, Chen, Corrado & Dean 2013). Each word has two vectors: \f$ v_w \f$
/// as a centre word (the word vectors kept) and \f$ u_w \f$ as a context word. A word predicts
/// the words around it; instead of a softmax over the whole vocabulary, each true (centre,
/// context) pair is told apart from K "negative" words drawn from a noise distribution.
/// Derivation: @ref ch19_word2vec "Chapter 19, word vectors".

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// The loss of one example, centre c, context o, negatives \f$ k_1 \dots k_K \f$:
/// \f[ \ell = -\log\sigma(u_o^\top v_c) - \sum_{i=1}^{K} \log\sigma(-u_{k_i}^\top v_c) \f]
/// and its gradient, with \f$ g_o = \sigma(u_o^\top v_c) - 1 \f$ and
/// \f$ g_i = \sigma(u_{k_i}^\top v_c) \f$:
/// \f$ \partial\ell/\partial v_c = g_o u_o + \sum_i g_i u_{k_i} \f$,
/// \f$ \partial\ell/\partial u_o = g_o v_c \f$, \f$ \partial\ell/\partial u_{k_i} = g_i v_c \f$
/// (a word drawn twice collects both).
///
/// Shapes: W_in (V, E) the centre vectors \f$ v \f$, W_out (V, E) the context vectors \f$ u \f$.
template <class T>
struct SkipGram {
  Tensor2<T> W_in;   ///< centre-word vectors v (V, E): the word vectors
  Tensor2<T> W_out;  ///< context-word vectors u (V, E)

  SkipGram() = default;
  /// word2vec's initialisation: v from U(-0.5/E, 0.5/E), u zero.
  SkipGram(std::size_t vocab, std::size_t dim, Rng& rng);

  std::size_t vocab() const { return W_in.shape(0); }
  std::size_t dim() const { return W_in.shape(1); }

  /// \f$ \ell \f$ for one example. ValueError for an id outside [0, V).
  T loss(std::size_t center, std::size_t context, const std::vector<std::size_t>& negatives) const;
  /// Adds \f$ \partial\ell/\partial W_{in} \f$ and \f$ \partial\ell/\partial W_{out} \f$ to dW_in and
  /// dW_out (dense, shaped like the tables: for gradient checks); returns \f$ \ell \f$.
  T backward(std::size_t center, std::size_t context, const std::vector<std::size_t>& negatives,
             Tensor2<T>& dW_in, Tensor2<T>& dW_out) const;
  /// One step of SGD on one example, in place, the way word2vec trains: the rows of u move
  /// at once, v_c after them with the gradient computed from the u it saw. Returns \f$ \ell \f$.
  /// No checks (the training loop's inner step); `work` holds E values.
  T sgd_step(std::size_t center, std::size_t context, const std::size_t* negatives,
             std::size_t num_negatives, T lr, T* work);
};

/// Draws words from the unigram distribution raised to the power 3/4 (Mikolov et al.'s
/// noise distribution): frequent words are drawn less often than their share, rare ones more.
class NoiseSampler {
 public:
  /// ValueError when every count is 0.
  explicit NoiseSampler(const std::vector<std::uint64_t>& counts, double power = 0.75);
  std::size_t draw(Rng& rng) const;
  /// The probability of drawing word w.
  double probability(std::size_t w) const;

 private:
  std::vector<double> cdf_;  // cumulative probabilities, searched by bisection
};

struct SkipGramOptions {
  std::size_t window = 5;     ///< contexts up to this far on each side (a random b <= window per position)
  std::size_t negatives = 5;  ///< K
  int epochs = 5;
  double lr = 0.025;          ///< linearly decayed to lr / 10,000 over the run
  double subsample = 1e-4;    ///< t: a word of frequency f is kept with probability (sqrt(f/t) + 1) t/f
  bool progress = true;
};

/// What training measured: the mean loss per example of each epoch, examples seen, time.
struct SkipGramHistory {
  std::vector<double> epoch_loss;
  std::uint64_t examples = 0;
  double seconds = 0;
};

/// Train on sentences of word ids (each in [0, V)), SGD one example at a time, one thread
/// (the same seed gives the same vectors). `counts` are the corpus counts per id (for the
/// noise distribution and subsampling).
template <class T>
SkipGramHistory train_skipgram(SkipGram<T>& model, const std::vector<std::vector<std::int32_t>>& sentences,
                               const std::vector<std::uint64_t>& counts, const SkipGramOptions& options,
                               Rng& rng);

/// Every row scaled to unit length (zero rows stay zero): cosine similarity becomes a dot product.
template <class T>
Tensor2<T> unit_rows(const Tensor2<T>& W);

/// The k rows of `unit` (unit vectors) most similar to `query` by cosine, best first,
/// leaving out the ids in `exclude`: (id, cosine) pairs.
template <class T>
std::vector<std::pair<std::size_t, double>> nearest_rows(const Tensor2<T>& unit, const std::vector<T>& query,
                                                         std::size_t k, const std::vector<std::size_t>& exclude = {});

/// "a is to b as c is to ?" by 3CosAdd (Mikolov, Yih & Zweig 2013): the words nearest to
/// \f$ \hat v_b - \hat v_a + \hat v_c \f$, leaving out a, b and c.
template <class T>
std::vector<std::pair<std::size_t, double>> analogy(const Tensor2<T>& unit, std::size_t a, std::size_t b,
                                                    std::size_t c, std::size_t k = 1);

}  // namespace dl
