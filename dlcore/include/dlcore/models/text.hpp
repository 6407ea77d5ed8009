#pragma once
/// \file
/// Text classifiers over sequences of token ids (N, T), as Sequential models: a recurrent
/// reader, a convolutional reader and an attentive reader. Built in
/// @ref ch19_text_classification "Chapter 19" (which language is a word?); reused by
/// `make bench` (charlm_gru_epoch).

#include "dlcore/core/rng.hpp"
#include "dlcore/models/recurrent.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// Embedding (V -> E), a recurrent cell (E -> H), LastStep (each sequence's state after its
/// own last token), Linear (H -> K). Chapter 19's character GRU is
/// text_rnn_classifier(gru, V, 32, 128, 5).
template <class T>
Sequential<T> text_rnn_classifier(CellKind cell, std::size_t vocab, std::size_t emb, std::size_t hidden,
                                  std::size_t classes, Rng& rng);

/// Embedding (V -> E), Conv1D (E -> C, width k), ReLU, Conv1D (C -> C, width k), ReLU,
/// MaxOverTime, Linear (C -> K): two layers of n-gram detectors (a window of 2k - 1 tokens),
/// the strongest response of each anywhere in the sequence.
template <class T>
Sequential<T> text_cnn_classifier(std::size_t vocab, std::size_t emb, std::size_t channels,
                                  std::size_t kernel, std::size_t classes, Rng& rng);

/// Embedding (V -> E), a recurrent cell (E -> H), AttentionPool (a learned query weighs every
/// step), Linear (H -> K).
template <class T>
Sequential<T> text_attention_classifier(CellKind cell, std::size_t vocab, std::size_t emb,
                                        std::size_t hidden, std::size_t classes, Rng& rng);

}  // namespace dl
