#pragma once
/// \file
/// A labelled tree, the input of the Tree-LSTMs (Part V, @ref ch22_tree_lstm "Chapter 22").
/// A sentence's parse: leaves carry words, every node carries the class of its phrase.
/// Nodes are stored children before parent (post-order), so one pass from the first node to
/// the last visits every node after all its children, and the root is the last node.

#include <cstddef>
#include <string>
#include <vector>

namespace dl {

/// One parse tree, e.g. `(3 (2 not) (4 (3 very) (4 good)))` has five nodes:
/// `not`, `very`, `good`, `(very good)`, and the root.
struct Tree {
  struct Node {
    std::vector<std::size_t> children;  ///< indices of the children, left to right; none for a leaf
    int label = -1;                     ///< the phrase's class (SST: 0..4); -1 if unlabelled
    int token = -1;                     ///< a leaf's word id (after a vocabulary lookup); -1 inside
    std::string word;                   ///< a leaf's word as read; empty for an inner node
  };
  std::vector<Node> nodes;  ///< children before their parent; the root is nodes.back()

  std::size_t size() const { return nodes.size(); }
  std::size_t root() const { return nodes.size() - 1; }
  bool is_leaf(std::size_t i) const { return nodes[i].children.empty(); }
};

/// Height of every node: 0 for a leaf, 1 + the largest height among its children otherwise.
/// Nodes of equal height never depend on each other, so a level's nodes go through a cell
/// together (level batching).
std::vector<std::size_t> node_heights(const Tree& tree);

/// Throws dl::ValueError naming `where` unless the tree is well formed: not empty; every
/// child index smaller than its parent's; every node but the root the child of exactly one
/// node; leaves and only leaves carry a token when `need_tokens`.
void check_tree(const Tree& tree, const std::string& where, bool need_tokens = false);

}  // namespace dl
