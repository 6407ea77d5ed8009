// The SST-format tree reader and writer, the vocabulary, and the generated sentiment
// treebank: its labels follow the grammar's rules, it is deterministic, and every malformed
// line is refused naming the file, line and column.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "datasets/sentiment_treebank.hpp"
#include "datasets/treebank.hpp"
#include "dlcore/core/error.hpp"
#include "support/scratch.hpp"

using namespace datasets;

TEST_CASE("An SST line reads into a post-order tree with a label at every node", "[treebank]") {
  const dl::Tree t = parse_tree("(3 (2 not) (4 (3 very) (4 good)))");
  REQUIRE(t.size() == 5);
  dl::check_tree(t, "test");
  CHECK(t.nodes[0].word == "not");
  CHECK(t.nodes[0].label == 2);
  CHECK(t.nodes[1].word == "very");
  CHECK(t.nodes[2].word == "good");
  CHECK(t.nodes[3].children == std::vector<std::size_t>{1, 2});
  CHECK(t.nodes[3].label == 4);
  CHECK(t.nodes[4].children == std::vector<std::size_t>{0, 3});
  CHECK(t.nodes[4].label == 3);
  CHECK(t.nodes[4].word.empty());
  CHECK(sentence(t) == "not very good");
  CHECK(tree_depth(t) == 2);
  CHECK(count_negations(t) == 1);
  CHECK(is_binary(t));
  const auto spans = leaf_spans(t);
  CHECK(spans[3].begin == 1);
  CHECK(spans[3].end == 3);
  CHECK(spans[4].begin == 0);
  CHECK(spans[4].end == 3);
  // white space is free between tokens, and a lone leaf is a tree
  CHECK(to_sexpr(parse_tree("  ( 3\t(2 not)(4 (3 very) (4 good) ) )\r")) == "(3 (2 not) (4 (3 very) (4 good)))");
  CHECK(parse_tree("(1 meh)").size() == 1);
}

TEST_CASE("Writing and reading a treebank gives the same trees", "[treebank]") {
  const std::string text = "(3 (2 not) (4 (3 very) (4 good)))\n\n(1 (2 -LRB-) (1 (1 dull) (2 -RRB-)))\n(4 wow!)\n";
  const auto trees = parse_treebank(text, "mem.txt");
  REQUIRE(trees.size() == 3);  // the blank line is skipped
  const auto dir = testing::scratch_dir("datasets", "treebank_roundtrip");
  write_treebank(dir / "t.txt", trees);
  const auto back = read_treebank(dir / "t.txt");
  REQUIRE(back.size() == trees.size());
  for (std::size_t i = 0; i < trees.size(); ++i) CHECK(to_sexpr(back[i]) == to_sexpr(trees[i]));
  std::istringstream in(text);
  CHECK(parse_treebank(in, "stream").size() == 3);
  // the generated treebank too, every tree whole
  SentimentTreebankOptions o;
  o.train = 300, o.dev = 50, o.test = 50;
  const Treebank g = sentiment_treebank(o, 3);
  write_treebank(dir / "train.txt", g.train);
  const auto gb = read_treebank(dir / "train.txt");
  REQUIRE(gb.size() == g.train.size());
  for (std::size_t i = 0; i < gb.size(); ++i) {
    REQUIRE(gb[i].size() == g.train[i].size());
    for (std::size_t k = 0; k < gb[i].size(); ++k) {
      CHECK(gb[i].nodes[k].label == g.train[i].nodes[k].label);
      CHECK(gb[i].nodes[k].children == g.train[i].nodes[k].children);
      CHECK(gb[i].nodes[k].word == g.train[i].nodes[k].word);
    }
  }
}

// The error message of parsing `line` as line 1 of "bad.txt".
std::string error_of(const std::string& line) {
  try {
    parse_treebank("(2 fine)\n" + line + "\n", "bad.txt");
  } catch (const dl::FileError& e) {
    return e.what();
  }
  return "no error";
}

TEST_CASE("Malformed lines are refused naming the file, line and column", "[treebank][errors]") {
  using Catch::Contains;
  CHECK_THAT(error_of("(3 (2 not) (4 good)"), Contains("bad.txt:2:20:") && Contains("unbalanced") && Contains("1 node still open"));
  CHECK_THAT(error_of("(3 (2 not) (4 good)))"), Contains("bad.txt:2:21:") && Contains("closes no node"));
  CHECK_THAT(error_of("(7 good)"), Contains("bad.txt:2:2:") && Contains("label '7' is not an integer in 0..4"));
  CHECK_THAT(error_of("(x good)"), Contains("bad.txt:2:2:") && Contains("label 'x'"));
  CHECK_THAT(error_of("(-1 good)"), Contains("bad.txt:2:2:") && Contains("label '-1'"));
  CHECK_THAT(error_of("(3 (2 a) ())"), Contains("bad.txt:2:10:") && Contains("empty node '()'"));
  CHECK_THAT(error_of("(3 (2 a) (1))"), Contains("bad.txt:2:10:") && Contains("empty node '(1)'"));
  CHECK_THAT(error_of("(3 very good)"), Contains("bad.txt:2:9:") && Contains("a word ('good') where a subtree"));
  CHECK_THAT(error_of("(3 (2 a) b)"), Contains("bad.txt:2:10:") && Contains("a word ('b') where a subtree"));
  CHECK_THAT(error_of("(3 a (2 b))"), Contains("bad.txt:2:6:") && Contains("a subtree after the word 'a'"));
  CHECK_THAT(error_of("(3 (2 a) (2 b)) extra"), Contains("bad.txt:2:17:") && Contains("trailing text 'extra'"));
  CHECK_THAT(error_of("(3 (2 a)) (2 b)"), Contains("bad.txt:2:11:") && Contains("trailing text"));
  CHECK_THAT(error_of("3 good"), Contains("bad.txt:2:1:") && Contains("expected '('"));
  CHECK_THAT(error_of("((2 a))"), Contains("bad.txt:2:2:") && Contains("expected a label"));
  CHECK_THAT(error_of("("), Contains("bad.txt:2:2:") && Contains("expected a label"));
  // too deep: refused at the first '(' past the limit, without recursion
  const std::string deep = std::string(kMaxTreeDepth + 1, '(');
  CHECK_THAT(error_of(deep), Contains("bad.txt:2:2:") && Contains("expected a label"));  // "((" has no label
  std::string nested;
  for (std::size_t i = 0; i <= kMaxTreeDepth; ++i) nested += "(2 ";
  CHECK_THAT(error_of(nested), Contains(fmt::format("bad.txt:2:{}:", 3 * kMaxTreeDepth + 1)) &&
                                   Contains("deeper than 1000"));
  // a missing file names itself
  CHECK_THROWS_WITH(read_treebank("/nonexistent/train.txt"), Contains("/nonexistent/train.txt"));
  // the writer refuses what the reader would refuse
  dl::Tree t = parse_tree("(3 (2 a) (2 b))");
  t.nodes[0].word = "two words";
  CHECK_THROWS_AS(to_sexpr(t), dl::ValueError);
  t.nodes[0].word = "a";
  t.nodes[2].label = -1;
  CHECK_THROWS_WITH(to_sexpr(t), Contains("label -1"));
}

TEST_CASE("Binarize merges unary nodes and splits wide ones with unlabelled nodes", "[treebank]") {
  const dl::Tree t = parse_tree("(3 (1 (2 a)) (2 b) (4 c) (3 d))");
  CHECK_FALSE(is_binary(t));
  const dl::Tree b = binarize(t);
  dl::check_tree(b, "binarized");
  CHECK(is_binary(b));
  CHECK(sentence(b) == "a b c d");
  CHECK(b.nodes[0].label == 1);  // (1 (2 a)) became the leaf a with the upper label
  CHECK(b.nodes.back().label == 3);
  int unlabelled = 0;
  for (const auto& n : b.nodes) unlabelled += n.label == -1;
  CHECK(unlabelled == 2);  // 4 children -> (a (b (c d))): (c d) and (b (c d)) are new
  CHECK(b.size() == 4 + 3);
}

TEST_CASE("The vocabulary keeps frequent training words and maps the rest to <unk>", "[treebank]") {
  auto trees = parse_treebank("(2 (2 a) (2 (2 b) (2 a)))\n(2 (2 c) (2 a))\n");
  const TreeVocab v = TreeVocab::from_trees(trees, 2);
  REQUIRE(v.size() == 2);  // <unk>, a
  CHECK(v.words[0] == "<unk>");
  CHECK(v.id("a") == 1);
  CHECK(v.id("b") == TreeVocab::unknown);
  v.assign(trees);
  dl::check_tree(trees[0], "assigned", true);
  CHECK(trees[0].nodes[0].token == 1);
  CHECK(trees[0].nodes[1].token == 0);
  CHECK(trees[0].nodes.back().token == -1);
}

// The label of the root of `s` (labels in the text are ignored) as the grammar computes it.
int root_by_rules(const std::string& s) { return sentiment_rules::grammar_labels(parse_tree(s)).back(); }

TEST_CASE("The grammar's rules on hand-checked phrases", "[treebank][sentiment]") {
  using namespace sentiment_rules;
  CHECK(root_by_rules("(2 (2 not) (2 good))") == 1);             // "not good": negative
  CHECK(root_by_rules("(2 (2 not) (2 bad))") == 3);              // "not bad": mildly positive
  CHECK(root_by_rules("(2 (2 not) (2 great))") == 1);            // "not great": negative
  CHECK(root_by_rules("(2 (2 not) (2 terrible))") == 2);         // "not terrible": neutral
  CHECK(root_by_rules("(2 (2 good) (2 (2 but) (2 boring)))") == 1);  // "good but boring": negative
  CHECK(root_by_rules("(2 (2 very) (2 good))") == 4);            // "very good": very positive
  CHECK(root_by_rules("(2 (2 somewhat) (2 awful))") == 1);       // "somewhat awful": negative
  CHECK(root_by_rules("(2 (2 good) (2 (2 and) (2 funny)))") == 4);   // "good and funny": +2
  CHECK(root_by_rules("(2 (2 great) (2 (2 and) (2 bad)))") == 3);    // "great and bad": +1
  // the same words, another order or another scope, another meaning
  CHECK(root_by_rules("(2 (2 (2 not) (2 good)) (2 (2 but) (2 great)))") == 4);   // not good but great
  CHECK(root_by_rules("(2 (2 great) (2 (2 but) (2 (2 not) (2 good))))") == 1);   // great but not good
  CHECK(root_by_rules("(2 (2 not) (2 (2 good) (2 (2 but) (2 boring))))") == 3);  // not (good but boring)
  CHECK(root_by_rules("(2 (2 (2 not) (2 good)) (2 (2 but) (2 boring)))") == 1);  // (not good) but boring
  // a clause takes its verb phrase's value
  CHECK(root_by_rules("(2 (2 (2 the) (2 movie)) (2 (2 is) (2 (2 not) (2 bad))))") == 3);
  CHECK(negate(2) == -1);
  CHECK(negate(-2) == 0);
  CHECK(intensify(-1) == -2);
  CHECK(soften(2) == 1);
  CHECK(conjoin(2, 2) == 2);
  CHECK(contrast(2, -1) == -1);
  CHECK(word_value("brilliant") == 2);
  CHECK(word_value("movie") == 0);
}

TEST_CASE("The generated treebank: sizes, balance, rules, lengths, distinct trees, same seed same files",
          "[treebank][sentiment]") {
  SentimentTreebankOptions o;
  o.train = 1000, o.dev = 200, o.test = 300;
  const Treebank a = sentiment_treebank(o, 7);
  REQUIRE(a.train.size() == 1000);
  REQUIRE(a.dev.size() == 200);
  REQUIRE(a.test.size() == 300);
  std::set<std::string> all;
  std::map<int, int> roots;
  std::size_t max_depth = 0, max_neg = 0;
  for (const auto* split : {&a.train, &a.dev, &a.test})
    for (const auto& t : *split) {
      dl::check_tree(t, "generated");
      REQUIRE(is_binary(t));
      const auto labels = sentiment_rules::grammar_labels(t);
      for (std::size_t i = 0; i < t.size(); ++i) REQUIRE(t.nodes[i].label == labels[i]);
      const std::size_t leaves = leaf_words(t).size();
      CHECK(leaves >= 5);
      CHECK(leaves <= 40);
      CHECK(all.insert(to_sexpr(t)).second);  // no tree twice, within or across splits
      max_depth = std::max(max_depth, tree_depth(t));
      max_neg = std::max(max_neg, count_negations(t));
      leaf_spans(t);
    }
  for (const auto& t : a.train) ++roots[t.nodes.back().label];
  for (int k = 0; k < 5; ++k) CHECK(roots[k] == 200);  // balanced root classes
  CHECK(max_depth >= 8);  // nesting varies
  CHECK(max_neg >= 3);
  const Treebank b = sentiment_treebank(o, 7);
  for (std::size_t i = 0; i < a.test.size(); ++i) REQUIRE(to_sexpr(a.test[i]) == to_sexpr(b.test[i]));
  const Treebank c = sentiment_treebank(o, 8);
  CHECK(to_sexpr(c.train[0]) != to_sexpr(a.train[0]));
  o.min_leaves = 30, o.max_leaves = 20;
  CHECK_THROWS_AS(sentiment_treebank(o, 1), dl::ValueError);
}
