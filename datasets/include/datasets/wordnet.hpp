#pragma once
/// \file
/// A real English corpus from Debian's `wordnet-base`: the glosses (definitions) and usage
/// examples of every WordNet synset, for training word vectors (Chapter 19).
///
/// Each line of `/usr/share/wordnet/data.{noun,verb,adj,adv}` (Latin-1) is one synset:
/// `offset lex_filenum ss_type w_cnt word lex_id ... | gloss; "example"; "example"`. One
/// synset becomes one "sentence" of tokens: its own words (lemmas, `_` as a space, markers
/// like `(a)` dropped) followed by its gloss and examples. Tokens are maximal runs of letters
/// (Unicode, Latin-1 decoded), lowercased; digits and punctuation separate them. The
/// license text at the top of each file (lines starting with two spaces) is skipped.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace datasets {

/// One token list per synset, in file order (noun, verb, adj, adv). FileError naming the
/// file when one is missing (Debian package wordnet-base?).
std::vector<std::vector<std::string>> load_wordnet_glosses(
    const std::filesystem::path& dir = "/usr/share/wordnet");

/// The letters-only tokens of a text (UTF-8 out), lowercased: "Don't stop-2x" -> don, t, stop, x.
/// `latin1`: the input bytes are Latin-1 (WordNet) rather than UTF-8.
std::vector<std::string> tokenize_letters(const std::string& text, bool latin1 = false);

/// Words that occur at least min_count times, most frequent first (ties in byte order);
/// id = position.
struct WordVocab {
  std::vector<std::string> words;
  std::vector<std::uint64_t> counts;  ///< occurrences in the corpus, per id
  std::map<std::string, std::int32_t> ids;
  std::size_t size() const { return words.size(); }
  /// The id of a word, or -1 when it is not in the vocabulary.
  std::int32_t id(const std::string& w) const;
  static WordVocab build(const std::vector<std::vector<std::string>>& sentences, std::uint64_t min_count);
};

/// Sentences as ids, words outside the vocabulary dropped; empty sentences dropped too.
std::vector<std::vector<std::int32_t>> encode_sentences(const std::vector<std::vector<std::string>>& sentences,
                                                        const WordVocab& vocab);

}  // namespace datasets
