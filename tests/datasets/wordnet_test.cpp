// WordNet's glosses as a corpus (Debian's wordnet-base, installed by tools/deps.sh):
// tokenising, the synset lines of the real files, the vocabulary.
#include <catch2/catch.hpp>

#include "datasets/wordnet.hpp"
#include "dlcore/core/error.hpp"

using namespace datasets;

TEST_CASE("Tokens are lowercased runs of letters, Latin-1 or UTF-8", "[wordnet]") {
  CHECK(tokenize_letters("Don't stop-2x; \"Quickly\"") == std::vector<std::string>{"don", "t", "stop", "x", "quickly"});
  CHECK(tokenize_letters("caf\xe9 na\xefve", true) == std::vector<std::string>{"caf\xc3\xa9", "na\xc3\xafve"});
  CHECK(tokenize_letters("Stra\xc3\x9f" "e") == std::vector<std::string>{"stra\xc3\x9f" "e"});
}

TEST_CASE("WordNet's synsets become sentences of their words, gloss and examples", "[wordnet]") {
  const auto s = load_wordnet_glosses("/usr/share/wordnet");
  CHECK(s.size() == 117659);  // every synset of WordNet 3.0 (82,115 nouns, 13,767 verbs, 18,156 adj, 3,621 adv)
  std::size_t tokens = 0;
  for (const auto& t : s) tokens += t.size();
  CHECK(tokens > 1400000);
  // 00006024 ... heterotroph ... | an organism that depends on complex organic substances for nutrition
  bool found = false;
  for (const auto& t : s)
    if (t.size() > 3 && t[0] == "heterotroph" && t[1] == "an" && t[2] == "organism") found = true;
  CHECK(found);
  const WordVocab v = WordVocab::build(s, 5);
  CHECK(v.words[0] == "the");  // the most frequent word first
  CHECK(v.counts[0] >= v.counts[1]);
  CHECK(v.id("the") == 0);
  CHECK(v.id("qwertyuiop") == -1);
  const auto ids = encode_sentences({{"the", "qwertyuiop", "of"}, {"qwertyuiop"}}, v);
  REQUIRE(ids.size() == 1);  // the sentence of unknown words alone is dropped
  CHECK(ids[0] == std::vector<std::int32_t>{0, v.id("of")});
  CHECK_THROWS_AS(load_wordnet_glosses("/nonexistent"), dl::FileError);
}
