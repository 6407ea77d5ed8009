// Exercise 22.1: a tree's nodes grouped by height (the levels a level-batched Tree-LSTM runs).
#include <catch2/catch.hpp>

#include "exercise.hpp"

namespace {

dl::Tree::Node leaf() { return {}; }
dl::Tree::Node inner(std::vector<std::size_t> c) {
  dl::Tree::Node n;
  n.children = std::move(c);
  return n;
}

}  // namespace

TEST_CASE("Exercise 22.1: the levels of (not (very good))", "[ch22][exercise]") {
  // not, very, good, (very good), root
  dl::Tree t;
  t.nodes = {leaf(), leaf(), leaf(), inner({1, 2}), inner({0, 3})};
  const auto levels = ch22::tree_levels(t);
  REQUIRE(levels.size() == 3);
  CHECK(levels[0] == std::vector<std::size_t>{0, 1, 2});
  CHECK(levels[1] == std::vector<std::size_t>{3});
  CHECK(levels[2] == std::vector<std::size_t>{4});
}

TEST_CASE("Exercise 22.1: a node's level is its height, not its depth", "[ch22][exercise]") {
  // ((a b) ((c d) e)) and a three-child node: heights 0 0 1 0 0 1 0 2 3 ... see below
  dl::Tree t;
  t.nodes = {leaf(), leaf(), inner({0, 1}),           // 0 a, 1 b, 2 (a b): height 1
             leaf(), leaf(), inner({3, 4}),           // 3 c, 4 d, 5 (c d): height 1
             leaf(), inner({5, 6}),                   // 6 e, 7 ((c d) e): height 2
             leaf(), inner({2, 7, 8})};               // 8 f, 9 root: height 3
  const auto levels = ch22::tree_levels(t);
  REQUIRE(levels.size() == 4);
  CHECK(levels[0] == std::vector<std::size_t>{0, 1, 3, 4, 6, 8});
  CHECK(levels[1] == std::vector<std::size_t>{2, 5});
  CHECK(levels[2] == std::vector<std::size_t>{7});
  CHECK(levels[3] == std::vector<std::size_t>{9});
  dl::Tree lone;
  lone.nodes = {leaf()};
  CHECK(ch22::tree_levels(lone) == std::vector<std::vector<std::size_t>>{{0}});
}
