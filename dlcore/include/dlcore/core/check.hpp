#pragma once
/// \file
/// Shape checks with messages that name the component, the argument and both shapes.

#include <initializer_list>
#include <string>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// Require a matrix with `cols` columns:
/// "Linear: input X has shape (128, 783) but expected (N, 784)".
template <class E>
void check_cols(const std::string& who, const std::string& what, const E& x, std::size_t cols) {
  if (x.dimension() != 2 || x.shape(1) != cols)
    throw ShapeError(who + ": " + what + " has shape " + shape_str(x.shape()) +
                     " but expected (N, " + std::to_string(cols) + ")");
}

/// Require an exact shape.
template <class E>
void check_shape(const std::string& who, const std::string& what, const E& x,
                 std::vector<std::size_t> expected) {
  if (shape_of(x) != expected)
    throw ShapeError(who + ": " + what + " has shape " + shape_str(x.shape()) +
                     " but expected " + shape_str(expected));
}

/// Require two tensors of the same shape (prediction and target, value and gradient).
template <class A, class B>
void check_same_shape(const std::string& who, const std::string& a_name, const A& a,
                      const std::string& b_name, const B& b) {
  if (shape_of(a) != shape_of(b))
    throw ShapeError(who + ": " + a_name + " has shape " + shape_str(a.shape()) + " but " +
                     b_name + " has shape " + shape_str(b.shape()));
}

/// Require a parameter's gradient buffer of the parameter's shape before backward writes
/// into it. A layer made by its default constructor and given weights by assignment has
/// none: "Linear: gradient dW has shape (0, 0) but W has shape (4, 3); ...".
template <class P, class G>
void check_grad(const std::string& who, const std::string& name, const P& value, const G& grad) {
  if (shape_of(value) != shape_of(grad))
    throw ShapeError(who + ": gradient d" + name + " has shape " + shape_str(grad.shape()) +
                     " but " + name + " has shape " + shape_str(value.shape()) +
                     "; a layer made by its default constructor has no gradient buffers: build it "
                     "with the constructor that takes its sizes, or set d" + name + " to zeros of " +
                     name + "'s shape");
}

/// Require labels in [0, K) and one per row.
void check_labels(const std::string& who, const Labels& y, std::size_t n, std::size_t K);

/// Require tags (N, T) for a batch of N sequences of T steps, with values in [0, K) at the
/// valid steps (t < lengths[n]; empty lengths: all T). Padded steps are not read.
void check_tags(const std::string& who, const Tags& tags, std::size_t T, std::size_t N,
                std::size_t K, const Lengths& lengths);

}  // namespace dl
