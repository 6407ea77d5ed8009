#pragma once
/// \file
/// A Transformer encoder as a sequence classifier: token ids -> Embedding -> positional
/// encoding -> one TransformerEncoderBlock -> mean over each sequence's valid positions ->
/// Linear. Built in @ref ch20_transformer "Chapter 20"; timed by `make bench`
/// (transformer_block_epoch).

#include "dlcore/core/rng.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// Sizes of transformer_classifier().
struct TransformerSizes {
  std::size_t vocab = 0;     ///< V: token ids in [0, V)
  std::size_t embed = 64;    ///< E: model width
  std::size_t heads = 4;     ///< h: attention heads (dividing E)
  std::size_t ff = 256;      ///< F: feed-forward width
  std::size_t classes = 2;   ///< K: outputs
};

/// Input ids (N, T) (values, as dl::Embedding takes them; lengths through the Context),
/// output logits (N, K). Modules: 0 Embedding, 1 PositionalEncoding, 2 TransformerEncoderBlock,
/// 3 MeanSteps, 4 Linear.
template <class T>
Sequential<T> transformer_classifier(const TransformerSizes& sizes, Rng& rng);

}  // namespace dl
