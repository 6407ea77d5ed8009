#pragma once
/// \file
/// Words of five languages from Debian's word lists (wamerican, wfrench, wngerman, wspanish,
/// witalian), for character-level text models: which language is a word? Built
/// deterministically from a seed (Chapters 19 and 21):
///
/// 1. read `/usr/share/dict/{american-english,french,ngerman,spanish,italian}` as UTF-8;
/// 2. lowercase (Unicode, as the C.UTF-8 locale does), keep words of 3-20 characters that are
///    all letters (Unicode: ü, é, ñ, ß are letters of their own; apostrophes and hyphens are not);
/// 3. drop every word that occurs in more than one list (it has no single answer);
/// 4. sort each language's words, shuffle them with the seed and keep at most `per_language`;
/// 5. shuffle all kept words together with the seed and split 80/10/10 into train /
///    validation / test.
///
/// Characters are Unicode code points. The vocabulary comes from the training words only:
/// id 0 is padding, id 1 an unknown character (one not seen in training), ids 2... the
/// training characters in code-point order.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dlcore/core/tensor.hpp"
#include "dlcore/train/data.hpp"

namespace datasets {

/// The five languages, in label order: english, french, german, spanish, italian.
const std::vector<std::string>& word_languages();

/// Words (as code points) and their language labels.
struct WordSet {
  std::vector<std::u32string> words;
  std::vector<std::int32_t> labels;
  std::size_t size() const { return words.size(); }
};

/// Character ids: 0 padding, 1 unknown, then every character of the training words.
struct CharVocab {
  static constexpr std::int32_t pad = 0, unknown = 1;
  std::vector<char32_t> chars;        ///< chars[id - 2] is the character of id
  std::map<char32_t, std::int32_t> ids;
  /// The id of a character (unknown for one not in the vocabulary).
  std::int32_t id(char32_t c) const;
  std::size_t size() const { return chars.size() + 2; }  ///< V, with padding and unknown
  /// The character of an id as UTF-8 ("<pad>", "<unk>" for the two special ids).
  std::string label(std::int32_t id) const;
  static CharVocab from_words(const std::vector<std::u32string>& words);
};

/// The whole dataset: the three splits and the vocabulary of the training split.
struct WordLanguages {
  WordSet train, val, test;
  CharVocab vocab;
};

/// Build it with the recipe above. FileError naming the file for a missing or unreadable word
/// list (a directory, one larger than dl::kMaxWordListBytes), a line that is not UTF-8 or
/// longer than dl::kMaxWordLineBytes (naming the line too), and a list without a word kept.
WordLanguages load_word_languages(const std::filesystem::path& dict_dir = "/usr/share/dict",
                                  std::uint64_t seed = 0, std::size_t per_language = 20000);

/// Words as a dataset for dl::Embedding: X (N, max_len) character ids as values (padded with
/// 0, longer words cut), lengths, labels.
template <class T>
dl::Dataset<dl::Tensor2<T>> encode_words(const WordSet& set, const CharVocab& vocab,
                                         std::size_t max_len = 20);

/// UTF-8 <-> code points. from_utf8 throws dl::ValueError for bytes that are not UTF-8
/// (RFC 3629: overlong forms, surrogates and code points past U+10FFFF included).
std::u32string from_utf8(const std::string& s);
std::string to_utf8(const std::u32string& s);

}  // namespace datasets
