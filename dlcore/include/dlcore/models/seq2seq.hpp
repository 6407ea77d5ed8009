#pragma once
/// \file
/// An encoder-decoder (Sutskever, Vinyals & Le 2014; Cho et al. 2014) of two GRUs, with or
/// without attention over the encoder's states (Bahdanau et al. 2015; Luong, Pham & Manning
/// 2015). Built and trained in @ref ch20_seq2seq "Chapter 20".

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/additive_attention.hpp"
#include "dlcore/layers/dot_product_attention.hpp"
#include "dlcore/layers/embedding.hpp"
#include "dlcore/layers/gru.hpp"
#include "dlcore/layers/linear.hpp"

namespace dl {

/// How the decoder looks at the source: not at all (only through the encoder's final state),
/// with additive scores, or with scaled dot-product scores of projected states.
enum class AttentionKind { none, additive, dot };

/// "none", "additive" or "dot" (ValueError listing them otherwise).
AttentionKind parse_attention(const std::string& name);
std::string to_string(AttentionKind kind);

/// Sizes of a Seq2Seq model.
struct Seq2SeqSizes {
  std::size_t src_vocab = 0, tgt_vocab = 0;  ///< token ids in [0, V)
  std::size_t embed = 32;    ///< E: both embeddings
  std::size_t hidden = 128;  ///< H: both GRUs
  std::size_t attn = 64;     ///< A: the additive scorer's width, or the dot product's d
};

/// The encoder reads the source \f$ x_1 \dots x_S \f$ into states \f$ h_1 \dots h_S \f$; the
/// decoder starts from the encoder's final state and reads the target shifted by one (teacher
/// forcing: \f$ y_0 \f$ = a start symbol, then the true \f$ y_{t-1} \f$), giving states
/// \f$ s_t \f$. Without attention the logits are \f$ W_o s_t + b_o \f$: everything about the
/// source must pass through \f$ h_S \f$. With attention ("global attention", Luong et al.
/// 2015: attention after the decoder step, no input feeding) each step also reads the context
/// \f$ c_t = \sum_s \alpha_{ts} h_s \f$ with weights from \f$ s_t \f$ against every \f$ h_s \f$,
/// and the logits are \f$ W_o [s_t; c_t] + b_o \f$. Additive: AdditiveAttention(H, H -> A);
/// dot: \f$ q_t = s_t W_q \f$, \f$ k_s = h_s W_k \f$ (Linear H -> A each) into
/// DotProductAttention.
///
/// Shapes: source ids (N, S) and target ids (N, Tt) as values (padded, with lengths);
/// logits (Tt N, V_tgt), step-major (row t N + n).
template <class T>
struct Seq2Seq {
  AttentionKind kind = AttentionKind::none;
  Embedding<T> src_embed, tgt_embed;
  GRU<T> encoder, decoder;
  AdditiveAttention<T> additive;       ///< kind == additive
  Linear<T> query_proj, key_proj;      ///< kind == dot
  DotProductAttention<T> dot;          ///< kind == dot (no parameters)
  Linear<T> out;                       ///< (H or 2H) -> V_tgt

  struct Cache {
    typename Embedding<T>::Cache src_embed, tgt_embed;
    typename GRU<T>::Cache encoder, decoder;
    typename AdditiveAttention<T>::Cache additive;
    typename Linear<T>::Cache query_proj, key_proj;
    typename DotProductAttention<T>::Cache dot;
    typename Linear<T>::Cache out;
    Tensor3<T> enc_states;  ///< h_1 ... h_S (S, N, H)
    Lengths src_lengths;
    std::size_t steps = 0, batch = 0;
  };

  Seq2Seq() = default;
  Seq2Seq(AttentionKind kind, const Seq2SeqSizes& sizes, Rng& rng);

  std::size_t hidden() const { return encoder.hidden(); }

  /// Teacher-forced logits (Tt N, V_tgt). `src_lengths`, `tgt_lengths`: valid steps of each
  /// source and target sequence (empty: all).
  Tensor2<T> forward(const Tensor2<T>& src, const Lengths& src_lengths, const Tensor2<T>& tgt_in,
                     const Lengths& tgt_lengths, Cache& cache) const;
  /// From dL/dlogits, every parameter gradient (accumulated).
  void backward(const Tensor2<T>& dlogits, const Cache& cache);

  /// Greedy decoding: `steps` outputs per sequence, each step's most likely symbol fed back as
  /// the next input, starting from `start_id`. Returns the ids (N, steps); with `weights`,
  /// also the attention weights (N, steps, S) (zeros without attention).
  Tensor2<T> greedy(const Tensor2<T>& src, const Lengths& src_lengths, std::size_t steps,
                    std::size_t start_id, Tensor3<T>* weights = nullptr) const;

  std::vector<ParamRef<T>> params();
  std::size_t num_params();
  std::string describe() const;
};

extern template struct Seq2Seq<float>;
extern template struct Seq2Seq<double>;

}  // namespace dl
