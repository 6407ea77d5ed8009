#include "datasets/sentiment_treebank.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "datasets/treebank.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"

namespace datasets {

namespace {

using Words = std::vector<std::string>;
// Adjectives by value: index v + 2.
const std::array<Words, 5>& adjectives() {
  static const std::array<Words, 5> a = {
      Words{"awful", "terrible", "horrible", "dreadful", "painful", "pointless"},  // -2
      Words{"bad", "dull", "boring", "weak", "slow", "silly"},                       // -1
      Words{"long", "french", "recent", "quiet", "familiar"},                        //  0
      Words{"good", "nice", "fine", "pleasant", "decent", "funny"},                  // +1
      Words{"great", "excellent", "wonderful", "brilliant", "superb", "moving"}};    // +2
  return a;
}
const Words kIntensifiers = {"very", "really", "truly", "extremely"};
const Words kSofteners = {"somewhat", "fairly", "rather"};
const Words kNegations = {"not", "never"};
const Words kDeterminers = {"the", "this", "a", "its"};
const Words kNouns = {"movie", "film", "plot", "story", "acting", "script", "ending", "cast"};
const Words kCopulas = {"is", "was"};

bool in(const Words& ws, const std::string& w) { return std::find(ws.begin(), ws.end(), w) != ws.end(); }
int clip(int v) { return std::clamp(v, -2, 2); }

// The value of inner node (l r) of `t` from its children's values (the grammar's rules).
int node_value(const dl::Tree& t, std::size_t l, std::size_t r, int vl, int vr) {
  namespace R = sentiment_rules;
  if (t.is_leaf(l)) {
    const std::string& w = t.nodes[l].word;
    if (in(kIntensifiers, w)) return R::intensify(vr);
    if (in(kSofteners, w)) return R::soften(vr);
    if (in(kNegations, w)) return R::negate(vr);
    if (w == "but" || w == "and" || in(kCopulas, w)) return vr;
    if (in(kDeterminers, w)) return 0;
  }
  const auto& rc = t.nodes[r].children;
  if (!rc.empty() && t.is_leaf(rc.front())) {
    const std::string& w = t.nodes[rc.front()].word;
    if (w == "but") return R::contrast(vl, vr);
    if (w == "and") return R::conjoin(vl, vr);
  }
  return vr;  // (NP VP): the clause says what its verb phrase says
}

// Builds one tree top-down (children appended before their parent), labelling as it goes.
class Builder {
 public:
  explicit Builder(dl::Rng& rng) : rng_(rng) {}
  dl::Tree tree;

  std::size_t leaf(const std::string& w) {
    dl::Tree::Node n;
    n.word = w;
    n.label = sentiment_rules::word_value(w) + 2;
    return push(std::move(n));
  }
  std::size_t node(std::size_t l, std::size_t r) {
    dl::Tree::Node n;
    n.children = {l, r};
    n.label = node_value(tree, l, r, tree.nodes[l].label - 2, tree.nodes[r].label - 2) + 2;
    return push(std::move(n));
  }
  const std::string& pick(const Words& ws) { return ws[rng_.below(ws.size())]; }

  // An adjective: strongly or mildly positive or negative with probability 0.225 each,
  // neutral with 0.1.
  std::size_t adjective() {
    const double u = rng_.uniform();
    const std::size_t k = u < 0.225 ? 0 : u < 0.45 ? 1 : u < 0.55 ? 2 : u < 0.775 ? 3 : 4;
    return leaf(pick(adjectives()[k]));
  }
  // AP with at most `depth` rules nested.
  std::size_t ap(std::size_t depth) {
    if (depth == 0) return adjective();
    const double u = rng_.uniform();
    if (u < 0.16) return adjective();
    if (u < 0.31) { const auto w = leaf(pick(kIntensifiers)); return node(w, ap(depth - 1)); }
    if (u < 0.38) { const auto w = leaf(pick(kSofteners)); return node(w, ap(depth - 1)); }
    if (u < 0.62) { const auto w = leaf(pick(kNegations)); return node(w, ap(depth - 1)); }
    const bool but = u < 0.83;
    const auto a = ap(depth - 1);
    const auto c = leaf(but ? "but" : "and");
    return node(a, node(c, ap(depth - 1)));
  }
  // (S (NP det noun) (VP is AP))
  std::size_t clause(std::size_t depth) {
    const auto d = leaf(pick(kDeterminers));
    const auto np = node(d, leaf(pick(kNouns)));
    const auto is = leaf(pick(kCopulas));
    return node(np, node(is, ap(depth)));
  }

 private:
  std::size_t push(dl::Tree::Node n) {
    tree.nodes.push_back(std::move(n));
    return tree.nodes.size() - 1;
  }
  dl::Rng& rng_;
};

}  // namespace

namespace sentiment_rules {
int intensify(int v) { return clip(2 * v); }
int soften(int v) { return (v > 0) - (v < 0); }
int negate(int v) {
  static const int table[5] = {0, 1, 0, -1, -1};  // -2, -1, 0, +1, +2
  return table[clip(v) + 2];
}
int contrast(int, int v2) { return v2; }
int conjoin(int v1, int v2) { return clip(v1 + v2); }
int word_value(const std::string& word) {
  for (int k = 0; k < 5; ++k)
    if (in(adjectives()[std::size_t(k)], word)) return k - 2;
  return 0;
}
std::vector<int> grammar_labels(const dl::Tree& tree) {
  dl::check_tree(tree, "grammar_labels");
  std::vector<int> v(tree.size());
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto& ch = tree.nodes[i].children;
    if (ch.empty()) v[i] = word_value(tree.nodes[i].word);
    else if (ch.size() == 2) v[i] = node_value(tree, ch[0], ch[1], v[ch[0]], v[ch[1]]);
    else throw dl::ValueError(fmt::format("grammar_labels: node {} has {} children; the grammar's are binary", i, ch.size()));
  }
  for (auto& x : v) x += 2;
  return v;
}
}  // namespace sentiment_rules

Treebank sentiment_treebank(const SentimentTreebankOptions& o, std::uint64_t seed) {
  if (o.max_depth == 0 || o.max_depth > 12)
    throw dl::ValueError(fmt::format("sentiment_treebank: max_depth {} is outside 1..12", o.max_depth));
  if (o.max_clauses == 0 || o.max_clauses > 8)
    throw dl::ValueError(fmt::format("sentiment_treebank: max_clauses {} is outside 1..8", o.max_clauses));
  if (o.min_leaves < 4 || o.max_leaves > 200 || o.min_leaves > o.max_leaves)
    throw dl::ValueError(fmt::format("sentiment_treebank: leaves {}..{} are not within 4..200",
                                     o.min_leaves, o.max_leaves));
  dl::Rng rng(seed);
  std::set<std::string> seen;  // every tree drawn so far, in all splits
  auto draw_split = [&](std::size_t n, const char* split) {
    std::vector<dl::Tree> out;
    std::array<std::size_t, 5> room{};
    for (std::size_t k = 0; k < 5; ++k) room[k] = n / 5 + (k < n % 5 ? 1 : 0);
    const std::size_t max_draws = 400 * n + 100000;
    for (std::size_t draws = 0; out.size() < n; ++draws) {
      if (draws == max_draws)
        throw dl::ValueError(fmt::format(
            "sentiment_treebank: {} draws gave only {} of the {} {} sentences asked for (distinct, {}..{} "
            "leaves{}); ask for fewer or allow more depth, clauses or leaves",
            max_draws, out.size(), n, split, o.min_leaves, o.max_leaves, o.balance ? ", balanced classes" : ""));
      Builder b(rng);
      std::size_t s = b.clause(1 + rng.below(o.max_depth));
      const std::size_t clauses = 1 + rng.below(o.max_clauses);
      for (std::size_t c = 1; c < clauses; ++c) {
        const auto conj = b.leaf(rng.uniform() < 0.6 ? "but" : "and");
        const auto next = b.clause(1 + rng.below(o.max_depth));
        s = b.node(s, b.node(conj, next));
      }
      std::size_t leaves = 0;
      for (const auto& node : b.tree.nodes) leaves += node.children.empty();
      if (leaves < o.min_leaves || leaves > o.max_leaves) continue;
      const std::size_t k = std::size_t(b.tree.nodes.back().label);
      if (o.balance && room[k] == 0) continue;
      if (!seen.insert(to_sexpr(b.tree)).second) continue;
      if (o.balance) --room[k];
      out.push_back(std::move(b.tree));
    }
    return out;
  };
  Treebank t;
  t.train = draw_split(o.train, "train");
  t.dev = draw_split(o.dev, "dev");
  t.test = draw_split(o.test, "test");
  return t;
}

}  // namespace datasets
