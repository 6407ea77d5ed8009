#pragma once
/// \file
/// Figures of a sequence tagger with BIO tags (Chapter 21): token accuracy, span precision,
/// recall and F1, and invalid transitions. Tag ids encode a span type and a position:
/// tag = 2 type + 0 for B-type (begins a span), 2 type + 1 for I-type (continues it).

#include <cstdint>
#include <vector>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// A span [begin, end) of one type.
struct Span {
  std::size_t begin = 0, end = 0;
  std::int32_t type = 0;
  bool operator==(const Span& o) const { return begin == o.begin && end == o.end && type == o.type; }
};

/// The spans of one tag sequence of length L: each B-x with the maximal run of I-x after it.
/// An I that does not continue a span of its own type (an invalid transition) belongs to no
/// span: only well-formed spans count, so a prediction earns nothing from a broken one.
std::vector<Span> bio_spans(const std::int32_t* tags, std::size_t L);

/// Whether `next` may follow `prev` in BIO (prev = -1 at the start of a sequence): an I-x
/// only after B-x or I-x; B-x anywhere.
inline bool bio_transition_valid(std::int32_t prev, std::int32_t next) {
  if (next % 2 == 0) return true;  // B-x
  return prev >= 0 && prev / 2 == next / 2;
}

/// What score_tagging() measures.
struct TaggingScores {
  std::size_t tokens = 0, correct_tokens = 0;
  std::size_t true_spans = 0, predicted_spans = 0, correct_spans = 0;  ///< exact begin, end and type
  std::size_t invalid_transitions = 0;  ///< positions whose predicted tag may not follow the one before
  std::size_t invalid_sequences = 0;    ///< predicted sequences with at least one invalid transition
  std::size_t exact_sequences = 0, sequences = 0;  ///< sequences tagged entirely right
  double token_accuracy() const { return tokens ? double(correct_tokens) / double(tokens) : 0.0; }
  double precision() const { return predicted_spans ? double(correct_spans) / double(predicted_spans) : 0.0; }
  double recall() const { return true_spans ? double(correct_spans) / double(true_spans) : 0.0; }
  /// \f$ F_1 = 2PR / (P + R) \f$ over spans (0 when nothing is right).
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

/// Compare predicted with true tags, both (N, T), over each sequence's first lengths[n] steps
/// (empty lengths: all T). ShapeError for different shapes or a wrong number of lengths.
TaggingScores score_tagging(const Tags& truth, const Tags& predicted, const Lengths& lengths);

}  // namespace dl
