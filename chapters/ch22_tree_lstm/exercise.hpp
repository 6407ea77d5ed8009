#pragma once
/// \file
/// Chapter 22 exercise: the levels of a tree, the order in which a level-batched Tree-LSTM
/// visits its nodes. Statement: @ref ch22_exercises "Chapter 22, exercises". Edit
/// exercise.cpp; the tests (tests/exercises/ch22_tree_lstm_test.cpp) check your answer when
/// built with -DDLBOOK_EXERCISES=mine.

#include <cstddef>
#include <vector>

#include <dlcore/core/tree.hpp>

namespace ch22 {

/// Exercise 22.1: the nodes of `tree` grouped by height: level 0 holds the leaves, level h
/// the nodes whose tallest child is on level h - 1, the last level the root alone. Within a
/// level, nodes in increasing index order. No node depends on another of its own level, so
/// one level's nodes can go through the cell as one batch, and the levels in order respect
/// every child-before-parent dependency. `tree.nodes` are stored children first (dl::Tree);
/// an empty tree has no levels.
std::vector<std::vector<std::size_t>> tree_levels(const dl::Tree& tree);

}  // namespace ch22
