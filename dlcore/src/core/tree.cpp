#include "dlcore/core/tree.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

std::vector<std::size_t> node_heights(const Tree& tree) {
  std::vector<std::size_t> height(tree.size(), 0);
  for (std::size_t i = 0; i < tree.size(); ++i)
    for (std::size_t c : tree.nodes[i].children) height[i] = std::max(height[i], height[c] + 1);
  return height;
}

void check_tree(const Tree& tree, const std::string& where, bool need_tokens) {
  if (tree.nodes.empty()) throw ValueError(fmt::format("{}: the tree has no nodes", where));
  std::vector<int> parents(tree.size(), 0);
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const Tree::Node& node = tree.nodes[i];
    for (std::size_t c : node.children) {
      if (c >= i)
        throw ValueError(fmt::format(
            "{}: node {} has child {}; children must come before their parent", where, i, c));
      if (++parents[c] > 1)
        throw ValueError(fmt::format("{}: node {} is the child of two nodes", where, c));
    }
    if (need_tokens && tree.is_leaf(i) && node.token < 0)
      throw ValueError(fmt::format("{}: leaf {} ('{}') has no word id", where, i, node.word));
    if (need_tokens && !tree.is_leaf(i) && node.token >= 0)
      throw ValueError(fmt::format("{}: inner node {} carries a word id", where, i));
  }
  for (std::size_t i = 0; i + 1 < tree.size(); ++i)
    if (parents[i] == 0)
      throw ValueError(fmt::format("{}: node {} has no parent but is not the root (the last node)",
                                   where, i));
}

}  // namespace dl
