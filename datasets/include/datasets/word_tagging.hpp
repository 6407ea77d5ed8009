#pragma once
/// \file
/// A character tagging task from the word-language data (Chapter 21): strings of 2 to 5 words
/// run together without spaces, each character tagged with its word's language and whether
/// it begins the word. "chatwaldcasa" (french, german, spanish):
///
///     c    h    a    t    w    a    l    d    c    a    s    a
///     B-fr I-fr I-fr I-fr B-de I-de I-de I-de B-es I-es I-es I-es
///
/// A tagger must find where each word begins (the strings have no spaces) and which language
/// it is; a word is one span B-x I-x ... I-x, so a sequence like B-fr I-de is invalid.
///
/// Recipe, for each split of load_word_languages() (so no word of the test strings was seen
/// in training): shuffle the split's words with the seed, then cut the shuffled list into
/// consecutive groups of n words, n drawn uniformly from [min_words, max_words]; a last group
/// shorter than min_words is dropped. Every other word is used exactly once.

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/words.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/train/data.hpp"

namespace datasets {

/// Two-letter codes of word_languages(), in label order: en, fr, de, es, it.
const std::vector<std::string>& language_codes();

/// The tag ids: language l begins a word with tag 2 l (B-l) and continues it with 2 l + 1
/// (I-l). K = 10 tags for the five languages.
inline std::int32_t begin_tag(std::int32_t lang) { return 2 * lang; }
inline std::int32_t inside_tag(std::int32_t lang) { return 2 * lang + 1; }

/// "B-en", "I-en", "B-fr", ..., "I-it": the names of the tag ids.
const std::vector<std::string>& language_tag_names();

/// Strings and one tag per character.
struct TaggedStrings {
  std::vector<std::u32string> text;
  std::vector<std::vector<std::int32_t>> tags;
  std::vector<std::size_t> words;  ///< how many words each string has
  std::size_t size() const { return text.size(); }
};

/// The recipe above for one split. ValueError unless 1 <= min_words <= max_words.
TaggedStrings run_words_together(const WordSet& split, std::uint64_t seed, std::size_t min_words = 2,
                                 std::size_t max_words = 5);

/// As a dataset for dl::Embedding: X (N, T_max) character ids as values (padding 0), y the
/// tags (N, T_max) with -1 at the padded steps, and the lengths; T_max is the longest string.
template <class T>
dl::Dataset<dl::Tensor2<T>, dl::Tags> encode_tagged(const TaggedStrings& set, const CharVocab& vocab);

}  // namespace datasets
