#pragma once
/// \file
/// Sentiment treebanks in the Penn-Treebank s-expression format of the Stanford Sentiment
/// Treebank (Socher et al. 2013), one tree per line, a class 0..4 at every node:
///
///     (3 (2 not) (4 (3 very) (4 good)))
///
/// The reader (read_treebank, parse_treebank), the writer (to_sexpr, write_treebank), a word
/// vocabulary over the leaves, and what the chapter measures per tree (depth, negations, the
/// span of leaves under each node). The generator of a treebank whose labels compose is in
/// sentiment_treebank.hpp. Used by @ref ch22_tree_lstm "Chapter 22".
///
/// The grammar the reader accepts, with `ws` spaces or tabs:
///
///     line  := ws* tree ws*            (a blank line is skipped)
///     tree  := '(' ws* label ws* body ws* ')'
///     body  := word | tree (ws* tree)*
///     label := one of 0 1 2 3 4
///     word  := one or more characters other than ws, '(' and ')'
///
/// A leaf is a node whose body is one word; an inner node has one or more subtrees (SST's
/// trees are binary; PTB-style trees of any arity are read too, see binarize()). The
/// parser is iterative, so a hostile file cannot exhaust the stack; it stops with
/// dl::FileError `FILE:LINE:COLUMN: what` (1-based; the column counts bytes) on:
/// a missing '(' or ')' (unbalanced parentheses), a label that is not an integer in 0..4,
/// an empty node `()` or `(3)`, a word where a subtree is expected (`(3 very good)`,
/// `(3 (2 a) b)`), a subtree after a word (`(3 a (2 b))`), text after the tree's last ')',
/// nesting deeper than kMaxTreeDepth, a tree of more than kMaxTreeNodes nodes, a line
/// longer than kMaxTreeLineBytes, and a file larger than kMaxTreebankBytes.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "dlcore/core/tree.hpp"

namespace datasets {

/// Nesting deeper than this is refused (SST's deepest tree has depth about 30).
inline constexpr std::size_t kMaxTreeDepth = 1000;
/// A tree of more nodes than this is refused (SST's largest has about 110).
inline constexpr std::size_t kMaxTreeNodes = 100000;
/// A longer line is refused before it is parsed.
inline constexpr std::size_t kMaxTreeLineBytes = std::size_t(1) << 20;
/// 256 MiB: the largest treebank file read (SST's train.txt is 1.4 MB).
inline constexpr std::size_t kMaxTreebankBytes = std::size_t(1) << 28;

/// Parse a whole text (e.g. a file's contents) of trees, one per line; `name` stands for the
/// file in error messages. Tokens are -1 (see TreeVocab::assign).
std::vector<dl::Tree> parse_treebank(const std::string& text, const std::string& name = "<string>");
/// The same from a stream, read line by line.
std::vector<dl::Tree> parse_treebank(std::istream& in, const std::string& name);
/// Parse one tree from one line (`line_number` for messages).
dl::Tree parse_tree(const std::string& line, const std::string& name = "<string>",
                    std::size_t line_number = 1);
/// Read a treebank file. FileError naming the file when it is missing or unreadable, and
/// FILE:LINE:COLUMN for malformed text.
std::vector<dl::Tree> read_treebank(const std::filesystem::path& path);

/// The tree in the format read_treebank reads, on one line without a newline:
/// `(3 (2 not) (4 (3 very) (4 good)))`. ValueError for a label outside 0..4, a leaf without
/// a word, or a word that contains white space or a parenthesis.
std::string to_sexpr(const dl::Tree& tree);
/// Write trees one per line, atomically (a temporary file renamed).
void write_treebank(const std::filesystem::path& path, const std::vector<dl::Tree>& trees);

/// The leaves' words left to right ("not very good").
std::vector<std::string> leaf_words(const dl::Tree& tree);
std::string sentence(const dl::Tree& tree);  ///< leaf_words joined by single spaces

/// For every node, the leaves under it as a half-open range [begin, end) of leaf positions
/// (the i-th leaf from the left has position i): the phrase a node stands for.
struct Span {
  std::size_t begin = 0, end = 0;
};
/// ValueError if a node's children do not cover adjacent ranges left to right (a tree whose
/// children are out of order), naming `where`.
std::vector<Span> leaf_spans(const dl::Tree& tree, const std::string& where = "leaf_spans");

/// Depth of a tree: the height of its root (a lone leaf has depth 0).
std::size_t tree_depth(const dl::Tree& tree);
/// The words counted as negations by count_negations: not, n't, never, no, nothing, none,
/// nobody, neither, nor, without (lower case).
const std::vector<std::string>& negation_words();
/// How many leaves are negation words (compared in lower case).
std::size_t count_negations(const dl::Tree& tree);

/// True if every inner node has exactly two children (SST's and the generator's trees).
bool is_binary(const dl::Tree& tree);
/// A binary tree with the same leaves: an inner node with one child is merged with it (the
/// upper node's label is kept), one with k > 2 children becomes a right-branching chain
/// whose new inner nodes are unlabelled (-1: no loss there). Binary trees come back as they are.
dl::Tree binarize(const dl::Tree& tree);

/// Word ids for the leaves: id 0 is the unknown word, ids 1... the words seen at least
/// `min_count` times in the training trees, in order of decreasing count (ties by word).
struct TreeVocab {
  static constexpr int unknown = 0;
  std::vector<std::string> words;      ///< words[id]; words[0] == "<unk>"
  std::map<std::string, int> ids;
  int id(const std::string& word) const;  ///< unknown for a word not in the vocabulary
  std::size_t size() const { return words.size(); }
  /// Build from the leaves of training trees.
  static TreeVocab from_trees(const std::vector<dl::Tree>& trees, std::size_t min_count = 1);
  /// Set every leaf's token (inner nodes get -1).
  void assign(std::vector<dl::Tree>& trees) const;
};

}  // namespace datasets
