#include "dlcore/layers/tree_batch.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

TreeBatch make_tree_batch(const std::vector<const Tree*>& trees, const std::string& who,
                          std::size_t max_children) {
  if (trees.empty()) throw ValueError(who + ": an empty batch of trees");
  TreeBatch b;
  b.tree_begin.assign(1, 0);
  std::vector<std::size_t> height;  // node order
  std::size_t levels = 0;
  for (std::size_t t = 0; t < trees.size(); ++t) {
    if (!trees[t]) throw ValueError(fmt::format("{}: tree {} of the batch is null", who, t));
    const Tree& tree = *trees[t];
    check_tree(tree, fmt::format("{}: tree {} of the batch", who, t));
    for (const auto& node : tree.nodes) {
      if (max_children && node.children.size() > max_children)
        throw ValueError(fmt::format("{}: tree {} has a node with {} children, at most {} allowed",
                                     who, t, node.children.size(), max_children));
      b.max_children = std::max(b.max_children, node.children.size());
    }
    for (std::size_t h : node_heights(tree)) {
      height.push_back(h);
      levels = std::max(levels, h + 1);
    }
    b.tree_begin.push_back(height.size());
  }
  // Counting sort by height, stable: level order is (height, tree, node).
  const std::size_t n = height.size();
  b.level_begin.assign(levels + 1, 0);
  for (std::size_t h : height) ++b.level_begin[h + 1];
  for (std::size_t l = 0; l < levels; ++l) b.level_begin[l + 1] += b.level_begin[l];
  std::vector<std::size_t> next(b.level_begin.begin(), b.level_begin.end() - 1), pos(n);
  b.row.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    pos[r] = next[height[r]]++;
    b.row[pos[r]] = r;
  }
  // Children lists in level order, each node's left to right.
  b.child_begin.assign(n + 1, 0);
  b.child.clear();
  b.tree.resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    const std::size_t r = b.row[p];
    const std::size_t t = std::size_t(std::upper_bound(b.tree_begin.begin(), b.tree_begin.end(), r) -
                                      b.tree_begin.begin()) - 1;
    const std::size_t first = b.tree_begin[t];
    b.tree[p] = t;
    for (std::size_t c : trees[t]->nodes[r - first].children) b.child.push_back(pos[first + c]);
    b.child_begin[p + 1] = b.child.size();
  }
  return b;
}

std::pair<std::size_t, std::size_t> level_part(const TreeBatch& batch, std::size_t l,
                                               std::size_t t0, std::size_t t1) {
  const auto first = batch.tree.begin() + std::ptrdiff_t(batch.level_begin[l]),
             last = batch.tree.begin() + std::ptrdiff_t(batch.level_begin[l + 1]);
  return {std::size_t(std::lower_bound(first, last, t0) - batch.tree.begin()),
          std::size_t(std::lower_bound(first, last, t1) - batch.tree.begin())};
}

std::vector<std::size_t> tree_parts(const TreeBatch& batch, std::size_t parts) {
  const std::size_t T = batch.trees(), n = batch.nodes();
  parts = std::max<std::size_t>(1, std::min(parts, T));
  std::vector<std::size_t> b{0};
  for (std::size_t k = 1; k < parts; ++k) {  // the first tree that starts at or after k n / parts
    std::size_t t = std::size_t(std::lower_bound(batch.tree_begin.begin(), batch.tree_begin.end() - 1,
                                                 k * n / parts) - batch.tree_begin.begin());
    t = std::max(t, b.back() + 1);
    if (t >= T) break;
    b.push_back(t);
  }
  b.push_back(T);
  return b;
}

}  // namespace dl
