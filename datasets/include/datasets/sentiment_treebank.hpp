#pragma once
/// \file
/// A generated sentiment treebank whose labels compose (@ref ch22_tree_lstm "Chapter 22"):
/// binary parse trees in the Stanford Sentiment Treebank's format, every node labelled
/// 0..4 (very negative, negative, neutral, positive, very positive) by the rules below, so
/// that the meaning of a phrase is a function of its parts and of how they are put
/// together: the task a Tree-LSTM is built for.
///
/// **Values.** A phrase has a value v in {-2, -1, 0, +1, +2}; its label is v + 2.
///
/// **Lexicon** (each word a leaf with its own value):
/// | class | value | words |
/// |---|---|---|
/// | strongly positive | +2 | great, excellent, wonderful, brilliant, superb, moving |
/// | mildly positive | +1 | good, nice, fine, pleasant, decent, funny |
/// | neutral adjective | 0 | long, french, recent, quiet, familiar |
/// | mildly negative | -1 | bad, dull, boring, weak, slow, silly |
/// | strongly negative | -2 | awful, terrible, horrible, dreadful, painful, pointless |
/// | function words, nouns | 0 | the, this, a, its; movie, film, plot, story, acting, script, ending, cast; is, was |
/// | intensifiers | 0 | very, really, truly, extremely |
/// | softeners | 0 | somewhat, fairly, rather |
/// | negations | 0 | not, never |
/// | conjunctions | 0 | but, and |
///
/// **Grammar** (every rule binary; the value of the parent from its children's):
/// | rule | tree | value |
/// |---|---|---|
/// | intensify | (AP very AP') | 2 v' clipped to [-2, 2]: "very good" +2, "very great" +2 |
/// | soften | (AP somewhat AP') | sign(v'): "somewhat great" +1, "somewhat bad" -1 |
/// | negate | (AP not AP') | negation table: +2 -> -1, +1 -> -1, 0 -> 0, -1 -> +1, -2 -> 0 |
/// | contrast | (AP AP1 (but AP2)) | v2: "good but boring" -1; the node (but AP2) has v2 |
/// | conjoin | (AP AP1 (and AP2)) | v1 + v2 clipped to [-2, 2]; (and AP2) has v2 |
/// | clause | (S (NP the movie) (VP is AP)) | v(AP); NP and "is" are 0, VP has v(AP) |
/// | clause contrast | (S S1 (but S2)) | v(S2) |
/// | clause conjunction | (S S1 (and S2)) | v(S1) + v(S2) clipped |
///
/// Negation flips a positive phrase to negative ("not good", "not great": -1), turns a
/// mildly negative one mildly positive ("not bad": +1) and a strongly negative one neutral
/// ("not terrible": 0): it flips or softens, and never intensifies. An adjective phrase
/// nests up to `max_depth` rules deep; a sentence joins up to `max_clauses` clauses.
///
/// Why composition matters here: the words of "not good but great" (+2) and "great but not
/// good" (-1) are the same bag, so a bag-of-words model cannot tell them apart; and the
/// scope of a negation is in the tree, not in the word order: "not (good but boring)" is
/// +1 while "(not good) but boring" is -1, the same words in the same order. A model that
/// reads the tree sees the difference; a sequential model reading only the words must
/// guess from the more frequent reading.
///
/// Sentences: phrases drawn top-down from the grammar with the seed, kept when they have
/// `min_leaves` .. `max_leaves` leaves and their text (words and tree) has not been drawn
/// before in any split (so no test tree is a training tree), and, with `balance`, while
/// their root class still has room (each split gets about a fifth of its sentences per
/// class). Splits are drawn train, then dev, then test, from one generator seeded with
/// `seed`: the same seed gives the same files.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dlcore/core/tree.hpp"

namespace datasets {

struct SentimentTreebankOptions {
  std::size_t train = 8000, dev = 1000, test = 2000;  ///< sentences per split
  std::size_t max_depth = 4;    ///< deepest nesting of adjective-phrase rules
  std::size_t max_clauses = 3;  ///< most clauses joined by but / and in one sentence
  std::size_t min_leaves = 5, max_leaves = 40;
  bool balance = true;          ///< about equally many sentences per root class
};

/// The three splits.
struct Treebank {
  std::vector<dl::Tree> train, dev, test;
};

/// Draw the treebank (see the file comment). ValueError for sizes or limits that cannot be
/// met (max_depth 0 or above 12, max_clauses 0 or above 8, min_leaves > max_leaves,
/// min_leaves below 4 or max_leaves above 200, and a request the grammar cannot fill
/// within a bounded number of draws, e.g. more distinct short sentences than exist).
Treebank sentiment_treebank(const SentimentTreebankOptions& options = {}, std::uint64_t seed = 0);

/// The rules on values in [-2, 2] (label = value + 2), for tests and the chapter's text.
namespace sentiment_rules {
int intensify(int v);          ///< "very": 2 v clipped
int soften(int v);             ///< "somewhat": sign(v)
int negate(int v);             ///< "not": +2 -> -1, +1 -> -1, 0 -> 0, -1 -> +1, -2 -> 0
int contrast(int v1, int v2);  ///< "X but Y": v2
int conjoin(int v1, int v2);   ///< "X and Y": v1 + v2 clipped
/// A word's own value (0 for a word outside the sentiment lexicon).
int word_value(const std::string& word);
/// Every node's label (value + 2) as the grammar computes it from the words and the shape
/// of `tree`, bottom up. An inner node (L R): when L is a leaf operator, very / really /
/// truly / extremely intensify R, somewhat / fairly / rather soften it, not / never negate
/// it, and but / and / is / was pass R's value on; a determiner (the, this, a, its) before a
/// noun makes a neutral NP. Otherwise, when R starts with the leaf "but" the node is a
/// contrast (R's value), with "and" a conjunction (L + R clipped), else (NP VP) takes R's
/// value. A leaf has its word's value. ValueError naming the node for a node that is not
/// binary.
std::vector<int> grammar_labels(const dl::Tree& tree);
}  // namespace sentiment_rules

}  // namespace datasets
