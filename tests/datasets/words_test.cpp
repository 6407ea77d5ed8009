// The word-language dataset from Debian's word lists: the recipe's promises, checked on the
// real lists (installed by tools/deps.sh), and UTF-8 decoding.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/scratch.hpp"
#include "datasets/words.hpp"
#include "dlcore/io/limits.hpp"

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

TEST_CASE("UTF-8 that RFC 3629 forbids is refused: overlong forms, surrogates, past U+10FFFF", "[words][input]") {
  CHECK(from_utf8("\xf4\x8f\xbf\xbf") == std::u32string(1, char32_t(0x10FFFF)));  // the last code point
  CHECK(from_utf8("\xed\x9f\xbf") == std::u32string(1, char32_t(0xD7FF)));         // just below the surrogates
  CHECK_THROWS_WITH(from_utf8("a\xc0\xaf"), Catch::Contains("offset 1") && Catch::Contains("overlong"));  // '/'
  CHECK_THROWS_WITH(from_utf8("\xe0\x80\x80"), Catch::Contains("overlong"));        // U+0000 in 3 bytes
  CHECK_THROWS_WITH(from_utf8("\xf0\x8f\xbf\xbf"), Catch::Contains("overlong"));    // U+FFFF in 4 bytes
  CHECK_THROWS_WITH(from_utf8("\xed\xa0\x80"), Catch::Contains("not a Unicode scalar value"));  // U+D800
  CHECK_THROWS_WITH(from_utf8("\xf4\x90\x80\x80"), Catch::Contains("not a Unicode scalar value"));  // U+110000
  CHECK_THROWS_AS(from_utf8("\xf7\xbf\xbf\xbf"), dl::ValueError);  // U+1FFFFF
}

namespace {
// A dictionary directory of the five lists, one word of its own each, `hostile` replacing
// french (written as a file unless it is a directory).
std::filesystem::path dict_with_french(const std::string& name, const std::string* french) {
  namespace fs = std::filesystem;
  const fs::path d = testing::scratch_dir("words", name);
  const char* files[] = {"american-english", "french", "ngerman", "spanish", "italian"};
  const char* words[] = {"apple\n", "pomme\n", "apfel\n", "manzana\n", "mela\n"};
  for (int k = 0; k < 5; ++k) std::ofstream(d / files[k], std::ios::binary) << words[k];
  if (french) {
    std::ofstream(d / "french", std::ios::binary) << *french;
  } else {
    fs::remove(d / "french");
    fs::create_directory(d / "french");
  }
  return d;
}
}  // namespace

TEST_CASE("Hostile word lists: a FileError naming the file (and the line) for each", "[words][input]") {
  namespace fs = std::filesystem;
  const std::string good = "chat\nmaison\n";
  const WordLanguages d = load_word_languages(dict_with_french("good", &good), 0, 10);
  CHECK(d.train.size() + d.val.size() + d.test.size() == 6);

  // a line that is not UTF-8 (an overlong '/'): the file and the line
  const std::string overlong = "chat\nmai\xc0\xafson\n";
  CHECK_THROWS_WITH(load_word_languages(dict_with_french("overlong", &overlong), 0, 10),
                    Catch::Contains("french:2: not UTF-8") && Catch::Contains("overlong"));
  // a huge line (no newline in 100 KB): the limit is named
  const std::string huge = "chat\n" + std::string(100000, 'a');
  CHECK_THROWS_WITH(load_word_languages(dict_with_french("huge_line", &huge), 0, 10),
                    Catch::Contains("french:2: a line of 100000 bytes") && Catch::Contains("kMaxWordLineBytes"));
  // a directory where a list should be (an ifstream reads it as an empty file)
  CHECK_THROWS_WITH(load_word_languages(dict_with_french("directory", nullptr), 0, 10),
                    Catch::Contains("french: is a directory"));
  // nothing kept: an empty list, or one of digits only
  const std::string empty, digits = "123\n4567\n";
  CHECK_THROWS_WITH(load_word_languages(dict_with_french("empty", &empty), 0, 10),
                    Catch::Contains("french: no word"));
  CHECK_THROWS_WITH(load_word_languages(dict_with_french("digits", &digits), 0, 10),
                    Catch::Contains("french: no word") && Catch::Contains("2 lines"));
  // larger than the limit (a sparse file: measured, never read)
  const fs::path big = dict_with_french("too_large", &good);
  fs::resize_file(big / "french", dl::kMaxWordListBytes + 1);
  CHECK_THROWS_WITH(load_word_languages(big, 0, 10),
                    Catch::Contains("french: the file is larger than 64 MiB") && Catch::Contains("kMaxWordListBytes"));
  // missing: the Debian package is named
  const fs::path missing = dict_with_french("missing", &good);
  fs::remove(missing / "french");
  CHECK_THROWS_WITH(load_word_languages(missing, 0, 10), Catch::Contains("wfrench"));
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
