#include "datasets/word_tagging.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"

namespace datasets {

const std::vector<std::string>& language_codes() {
  static const std::vector<std::string> codes = {"en", "fr", "de", "es", "it"};
  return codes;
}

const std::vector<std::string>& language_tag_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& c : language_codes()) {
      v.push_back("B-" + c);
      v.push_back("I-" + c);
    }
    return v;
  }();
  return names;
}

TaggedStrings run_words_together(const WordSet& split, std::uint64_t seed, std::size_t min_words,
                                 std::size_t max_words) {
  if (min_words < 1 || min_words > max_words)
    throw dl::ValueError(fmt::format("run_words_together: words per string must satisfy 1 <= min <= max, got {} and {}",
                                     min_words, max_words));
  dl::Rng rng(seed);
  const auto order = rng.permutation(split.size());
  TaggedStrings out;
  for (std::size_t k = 0; k < order.size();) {
    const std::size_t n = min_words + std::size_t(rng.below(max_words - min_words + 1));
    if (order.size() - k < min_words) break;  // too few words left for a string
    const std::size_t end = std::min(order.size(), k + n);
    std::u32string text;
    std::vector<std::int32_t> tags;
    for (; k < end; ++k) {
      const auto& w = split.words[order[k]];
      const std::int32_t lang = split.labels[order[k]];
      text += w;
      tags.push_back(begin_tag(lang));
      tags.insert(tags.end(), w.size() - 1, inside_tag(lang));
    }
    out.words.push_back(std::size_t(std::count_if(tags.begin(), tags.end(),
                                                  [](std::int32_t t) { return t % 2 == 0; })));
    out.text.push_back(std::move(text));
    out.tags.push_back(std::move(tags));
  }
  return out;
}

template <class T>
dl::Dataset<dl::Tensor2<T>, dl::Tags> encode_tagged(const TaggedStrings& set, const CharVocab& vocab) {
  std::size_t T_max = 1;
  for (const auto& s : set.text) T_max = std::max(T_max, s.size());
  dl::Dataset<dl::Tensor2<T>, dl::Tags> d;
  d.X = xt::zeros<T>({set.size(), T_max});
  d.y = dl::Tags::from_shape({set.size(), T_max});
  d.y.fill(-1);
  for (std::size_t n = 0; n < set.size(); ++n) {
    for (std::size_t t = 0; t < set.text[n].size(); ++t) {
      d.X(n, t) = T(vocab.id(set.text[n][t]));
      d.y(n, t) = set.tags[n][t];
    }
    d.lengths.push_back(set.text[n].size());
  }
  return d;
}

template dl::Dataset<dl::Tensor2<float>, dl::Tags> encode_tagged<float>(const TaggedStrings&, const CharVocab&);
template dl::Dataset<dl::Tensor2<double>, dl::Tags> encode_tagged<double>(const TaggedStrings&, const CharVocab&);

}  // namespace datasets
