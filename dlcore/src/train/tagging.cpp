#include "dlcore/train/tagging.hpp"

#include <algorithm>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"

namespace dl {

std::vector<Span> bio_spans(const std::int32_t* tags, std::size_t L) {
  std::vector<Span> spans;
  for (std::size_t t = 0; t < L;) {
    if (tags[t] % 2 != 0) {  // an I outside a span of its type: part of no span
      ++t;
      continue;
    }
    Span s{t, t + 1, tags[t] / 2};  // B-x, then every I-x right after it
    while (s.end < L && tags[s.end] == tags[t] + 1) ++s.end;
    spans.push_back(s);
    t = s.end;
  }
  return spans;
}

TaggingScores score_tagging(const Tags& truth, const Tags& predicted, const Lengths& lengths) {
  check_same_shape("score_tagging", "true tags", truth, "predicted tags", predicted);
  const std::size_t N = truth.shape(0), T = truth.shape(1);
  if (!lengths.empty() && lengths.size() != N)
    throw ShapeError("score_tagging: " + std::to_string(lengths.size()) + " lengths for " +
                     std::to_string(N) + " sequences");
  TaggingScores s;
  s.sequences = N;
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = lengths.empty() ? T : std::min(lengths[n], T);
    const std::int32_t* y = truth.data() + n * T;
    const std::int32_t* p = predicted.data() + n * T;
    std::size_t right = 0, invalid = 0;
    for (std::size_t t = 0; t < L; ++t) {
      right += y[t] == p[t];
      invalid += !bio_transition_valid(t ? p[t - 1] : -1, p[t]);
    }
    s.tokens += L;
    s.correct_tokens += right;
    s.exact_sequences += right == L;
    s.invalid_transitions += invalid;
    s.invalid_sequences += invalid > 0;
    const auto ts = bio_spans(y, L), ps = bio_spans(p, L);
    s.true_spans += ts.size();
    s.predicted_spans += ps.size();
    for (const auto& sp : ps) s.correct_spans += std::count(ts.begin(), ts.end(), sp) > 0;
  }
  return s;
}

}  // namespace dl
