#pragma once
/// \file
/// A mini-batch of trees scheduled level by level, for the Tree-LSTMs of
/// @ref ch22_tree_lstm "Chapter 22": the order in which the cells visit the nodes.
///
/// Two orders of the nodes of a batch:
/// - **node order** (what the layers take and return): the trees one after another, each
///   tree's nodes as it stores them (children before parent, root last). Tree t's nodes are
///   rows `tree_begin[t]` ... `tree_begin[t + 1] - 1`, so per-node labels line up with the
///   trees' own nodes.
/// - **level order** (how the layers compute): the nodes sorted by height (leaves first),
///   ties by (tree, node). The nodes of one height never depend on each other and are
///   contiguous, so one GEMM serves a whole level of the batch. Level 0 is every leaf, in
///   node order: the leaves' input rows are the same in both orders.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "dlcore/core/tree.hpp"

namespace dl {

/// The schedule of a batch of trees. Positions p are in level order; rows r in node order.
struct TreeBatch {
  std::vector<std::size_t> tree_begin;   ///< (trees + 1) first node-order row of each tree
  std::vector<std::size_t> level_begin;  ///< (levels + 1) first position of each height
  std::vector<std::size_t> row;          ///< (nodes) position -> node-order row
  std::vector<std::size_t> tree;         ///< position -> its tree (ascending within a level)
  std::vector<std::size_t> child_begin;  ///< (nodes + 1) position p's children are
                                         ///< child[child_begin[p] ... child_begin[p + 1] - 1]
  std::vector<std::size_t> child;        ///< (edges) children's positions, left to right
  std::size_t max_children = 0;          ///< the most children of any node

  std::size_t trees() const { return tree_begin.size() - 1; }
  std::size_t nodes() const { return row.size(); }
  std::size_t levels() const { return level_begin.size() - 1; }
  std::size_t leaves() const { return level_begin[1]; }  ///< level 0
  std::size_t edges() const { return child.size(); }
};

/// The schedule of `trees` (each checked with check_tree; `who` names the caller in errors).
/// ValueError for an empty batch, a null tree, a malformed tree, or a node with more than
/// `max_children` children (0: no limit).
TreeBatch make_tree_batch(const std::vector<const Tree*>& trees, const std::string& who,
                          std::size_t max_children = 0);

/// The positions of level `l` that belong to trees [t0, t1): a contiguous range [first, second).
std::pair<std::size_t, std::size_t> level_part(const TreeBatch& batch, std::size_t l,
                                               std::size_t t0, std::size_t t1);

/// Boundaries of `parts` contiguous groups of trees with about equal node counts:
/// part k is trees [b[k], b[k + 1]). Fewer parts when there are fewer trees.
std::vector<std::size_t> tree_parts(const TreeBatch& batch, std::size_t parts);

}  // namespace dl
