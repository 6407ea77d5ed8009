// Exercise 22.1, reference solution: heights in one pass (children are stored before their
// parent), each node appended to its level.
#include <algorithm>

#include "exercise.hpp"

namespace ch22 {

std::vector<std::vector<std::size_t>> tree_levels(const dl::Tree& tree) {
  //! [tree_levels]
  std::vector<std::size_t> height(tree.size(), 0);
  std::vector<std::vector<std::size_t>> levels;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    for (std::size_t c : tree.nodes[i].children) height[i] = std::max(height[i], height[c] + 1);
    if (levels.size() <= height[i]) levels.resize(height[i] + 1);
    levels[height[i]].push_back(i);
  }
  return levels;
  //! [tree_levels]
}

}  // namespace ch22
