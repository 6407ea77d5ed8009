#pragma once
/// \file
/// Linear-chain conditional random field (Lafferty, McCallum & Pereira 2001): the output
/// layer of a tagger that scores whole tag sequences instead of one tag per step (the
/// BiLSTM-CRF of Huang, Xu & Yu 2015 and Lample et al. 2016). Derivations: the forward
/// algorithm @ref ch21_forward_algorithm "Chapter 21, the partition function", the gradient
/// @ref ch21_crf_gradient "Chapter 21, the gradient", decoding @ref ch21_viterbi "Chapter 21, Viterbi".

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// A linear-chain CRF over K tags. With emissions \f$ E \f$ (one score per step and tag, from the
/// network below) the score of a tag path \f$ y_0 \dots y_{L-1} \f$ is
/// \f[ s(y) = \pi_{y_0} + \sum_{t=0}^{L-1} E_{t, y_t} + \sum_{t=1}^{L-1} A_{y_{t-1}, y_t} + \omega_{y_{L-1}} \f]
/// (start scores \f$ \pi \f$, transition scores \f$ A \f$, end scores \f$ \omega \f$), and
/// \f$ p(y \mid x) = e^{s(y)} / Z \f$ with \f$ Z = \sum_{y'} e^{s(y')} \f$ over all
/// \f$ K^L \f$ paths. \f$ \log Z \f$ comes from the forward algorithm in log space,
/// \f$ \alpha_0 = \pi + E_0 \f$, \f$ \alpha_t(j) = E_{t,j} + \log\sum_i e^{\alpha_{t-1}(i) + A_{ij}} \f$,
/// \f$ \log Z = \log\sum_j e^{\alpha_{L-1}(j) + \omega_j} \f$, in \f$ O(L K^2) \f$.
/// The loss is the negative log-likelihood \f$ \log Z - s(y) \f$ summed over the sequences and
/// divided by the number of valid steps (a per-token figure, comparable with a softmax
/// tagger's cross-entropy). Its gradient is "expected minus observed": the marginals
/// \f$ p(y_t = j) \f$ and \f$ p(y_{t-1} = i, y_t = j) \f$ from forward-backward minus the
/// indicators of the true path.
///
/// Shapes: emissions E (T, N, K) time-major as the recurrent layers produce them, tags (N, T)
/// as a dataset stores them, lengths (N) (null or empty: all T); only the steps t < L_n of
/// sequence n count.
template <class T>
struct LinearChainCRF {
  Tensor2<T> A;      ///< transition scores (K, K): A(i, j) for tag i followed by tag j
  Tensor1<T> start;  ///< \f$ \pi \f$ (K): the score of beginning with each tag
  Tensor1<T> end;    ///< \f$ \omega \f$ (K): the score of ending with each tag
  Tensor2<T> dA;     ///< gradients, accumulated by backward(); zeroed once per step
  Tensor1<T> dstart, dend;

  struct Cache {
    Tensor3<T> e;          ///< the emissions (T, N, K)
    Tensor3<T> alpha;      ///< the forward variables \f$ \alpha_t(j) \f$ (T, N, K)
    std::vector<T> log_z;  ///< \f$ \log Z \f$ of each sequence
    Tags tags;             ///< the true tags (N, T)
    Lengths lengths;       ///< empty: all T
    std::size_t tokens = 0;  ///< valid steps in the batch, the loss's divisor
  };

  LinearChainCRF() = default;
  /// K tags, every score 0: at the start the CRF is a softmax tagger (see the chapter).
  explicit LinearChainCRF(std::size_t num_tags);

  std::size_t num_tags() const { return A.shape(0); }

  /// \f$ \frac{1}{\sum_n L_n} \sum_n (\log Z_n - s_n(y_n)) \f$; caches what backward needs.
  T forward(const Tensor3<T>& emissions, const Tags& tags, const Lengths* lengths, Cache& cache) const;
  /// dL/dE (T, N, K), 0 at padded steps; accumulates dA, dstart, dend.
  Tensor3<T> backward(const Cache& cache);

  /// The score s(y) of each sequence's given tag path.
  std::vector<T> score(const Tensor3<T>& emissions, const Tags& tags, const Lengths* lengths) const;
  /// \f$ \log Z \f$ of each sequence, by the forward algorithm.
  std::vector<T> log_partition(const Tensor3<T>& emissions, const Lengths* lengths) const;
  /// The marginals \f$ p(y_t = k \mid x) \f$ (T, N, K) by forward-backward; 0 at padded steps.
  Tensor3<T> marginals(const Tensor3<T>& emissions, const Lengths* lengths) const;
  /// The most probable tag path of each sequence (Viterbi), (N, T); -1 at padded steps.
  Tags decode(const Tensor3<T>& emissions, const Lengths* lengths) const;

  std::vector<ParamRef<T>> params();  ///< "A", "start", "end"
  std::string describe() const;       ///< "CRF(10 tags)"
};

extern template struct LinearChainCRF<float>;
extern template struct LinearChainCRF<double>;

}  // namespace dl
