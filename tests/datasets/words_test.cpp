// The word-language dataset from Debian's word lists: the recipe's promises, checked on the
// real lists (installed by tools/deps.sh), and UTF-8 decoding.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "datasets/words.hpp"

using namespace datasets;

TEST_CASE("UTF-8 decodes to code points and back, and bad bytes are refused", "[words]") {
  const std::string s = "stra\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80";  // straße € 😀
  const std::u32string u = from_utf8(s);
  REQUIRE(u.size() == 10);
  CHECK(u[4] == U'ß');
  CHECK(u[7] == U'€');
  CHECK(u[9] == char32_t(0x1F600));
  CHECK(to_utf8(u) == s);
  CHECK_THROWS_AS(from_utf8("a\xc3"), dl::ValueError);       // cut short
  CHECK_THROWS_AS(from_utf8("\xff"), dl::ValueError);        // not a lead byte
  CHECK_THROWS_AS(from_utf8("\xc3\x41"), dl::ValueError);    // not a continuation byte
}

TEST_CASE("The word-language dataset follows its recipe", "[words]") {
  const WordLanguages d = load_word_languages("/usr/share/dict", 0, 20000);
  const std::size_t n = d.train.size() + d.val.size() + d.test.size();
  CHECK(n == 100000);  // 20,000 of each language: every list has more unique words than that
  CHECK(d.train.size() == 80000);
  CHECK(d.val.size() == 10000);
  std::map<std::u32string, int> lang_of;
  std::vector<int> per_lang(5, 0);
  for (const WordSet* s : {&d.train, &d.val, &d.test})
    for (std::size_t k = 0; k < s->size(); ++k) {
      const auto& w = s->words[k];
      CHECK(w.size() >= 3);
      CHECK(w.size() <= 20);
      CHECK(lang_of.count(w) == 0);  // a word occurs once, with one language
      lang_of[w] = s->labels[k];
      ++per_lang[std::size_t(s->labels[k])];
    }
  for (int c : per_lang) CHECK(c == 20000);
  // lowercase letters only, Unicode letters of their own
  CHECK(d.vocab.ids.count(U'A') == 0);
  CHECK(d.vocab.ids.count(U'\'') == 0);
  CHECK(d.vocab.ids.count(U'ß') == 1);
  CHECK(d.vocab.ids.count(U'é') == 1);
  CHECK(d.vocab.id(U'a') == 2);  // ids in code-point order after padding and unknown
  CHECK(d.vocab.id(U'Ω') == CharVocab::unknown);
  CHECK(d.vocab.label(CharVocab::pad) == "<pad>");
  // the same seed, the same dataset
  const WordLanguages again = load_word_languages("/usr/share/dict", 0, 20000);
  CHECK(again.test.words == d.test.words);
  CHECK(again.test.labels == d.test.labels);
}

TEST_CASE("Words encode as padded ids with their lengths", "[words]") {
  WordSet s;
  s.words = {U"abc", U"zzzzz"};
  s.labels = {1, 3};
  const CharVocab v = CharVocab::from_words({U"abc"});
  const auto d = encode_words<float>(s, v, 4);
  REQUIRE(d.X.shape(0) == 2);
  REQUIRE(d.X.shape(1) == 4);
  CHECK(d.X(0, 0) == 2.0f);
  CHECK(d.X(0, 2) == 4.0f);
  CHECK(d.X(0, 3) == 0.0f);  // padding
  CHECK(d.X(1, 0) == float(CharVocab::unknown));
  CHECK(d.lengths == dl::Lengths{3, 4});  // cut at max_len
  CHECK(d.y(1) == 3);
  CHECK_THROWS_AS(load_word_languages("/nonexistent"), dl::FileError);
}
