// The run-together-words tagging task: its recipe on the real word lists (every word of a
// split used once, 2-5 words per string, one B per word and the word's language on every
// character), reproducibility, and the encoding for Embedding.
#include <catch2/catch.hpp>

#include <map>

#include "datasets/word_tagging.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/train/tagging.hpp"

using namespace datasets;

TEST_CASE("Words run together: tags by hand on a tiny split", "[word_tagging]") {
  WordSet split;
  split.words = {U"chat", U"wald", U"casa", U"über"};
  split.labels = {1, 2, 3, 2};
  const TaggedStrings s = run_words_together(split, 7, 2, 2);
  REQUIRE(s.size() == 2);  // two strings of two words each: every word once
  std::map<std::u32string, int> seen;
  for (std::size_t i = 0; i < s.size(); ++i) {
    REQUIRE(s.words[i] == 2);
    REQUIRE(s.tags[i].size() == s.text[i].size());
    CHECK(s.tags[i][0] % 2 == 0);  // begins with a B
    seen[s.text[i].substr(0, 4)]++;
    seen[s.text[i].substr(4)]++;
    CHECK(s.tags[i][4] % 2 == 0);  // the second word begins with a B
    CHECK(s.tags[i][1] == s.tags[i][0] + 1);
  }
  CHECK(seen.size() == 4);
  CHECK(language_tag_names()[5] == "I-de");
  CHECK(begin_tag(3) == 6);
  CHECK(inside_tag(3) == 7);
  CHECK_THROWS_AS(run_words_together(split, 7, 3, 2), dl::ValueError);
  CHECK_THROWS_AS(run_words_together(split, 7, 0, 2), dl::ValueError);
}

TEST_CASE("The tagging task follows its recipe on the real word lists", "[word_tagging]") {
  const WordLanguages d = load_word_languages("/usr/share/dict", 0, 2000);
  const TaggedStrings a = run_words_together(d.test, 3), b = run_words_together(d.test, 3);
  CHECK(a.text == b.text);  // the seed fixes it
  std::size_t words = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a.words[i] >= 2);
    CHECK(a.words[i] <= 5);
    words += a.words[i];
    const std::vector<std::int32_t>& y = a.tags[i];
    REQUIRE(y.size() == a.text[i].size());
    const auto spans = dl::bio_spans(y.data(), y.size());
    CHECK(spans.size() == a.words[i]);  // one well-formed span per word
    std::size_t covered = 0;
    for (const auto& sp : spans) covered += sp.end - sp.begin;
    CHECK(covered == y.size());  // no character outside a span, so no invalid transition
    for (std::size_t t = 0; t < y.size(); ++t) CHECK(dl::bio_transition_valid(t ? y[t - 1] : -1, y[t]));
  }
  CHECK(words + 1 >= d.test.size());  // every word once; at most one left over at the end
  CHECK(words <= d.test.size());
  const auto enc = encode_tagged<float>(a, d.vocab);
  REQUIRE(enc.size() == a.size());
  REQUIRE(enc.lengths.size() == a.size());
  const std::size_t T = enc.X.shape(1);
  for (std::size_t n = 0; n < a.size(); ++n) {
    CHECK(enc.lengths[n] == a.text[n].size());
    CHECK(enc.X(n, 0) == float(d.vocab.id(a.text[n][0])));
    if (enc.lengths[n] < T) {
      CHECK(enc.y(n, enc.lengths[n]) == -1);
      CHECK(enc.X(n, enc.lengths[n]) == 0.0f);
    }
  }
}
