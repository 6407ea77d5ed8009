#pragma once
/// \file
/// Chapter 1 exercise: the perceptron learning rule.
/// Statement: @ref ch01_perceptron "Chapter 1, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch01_perceptron_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine. The chapter program trains with this function.

#include <dlcore/core/tensor.hpp>
#include <dlcore/layers/perceptron.hpp>

namespace ch01 {

/// One step of Rosenblatt's rule on the example (x, y), label y in {0, 1}:
/// predict \f$ \hat y = [\,w^\top x + b > 0\,] \f$ with the current weights (p.w, p.b), then
///   \f$ w \leftarrow w + \eta\,(y - \hat y)\,x \f$ and \f$ b \leftarrow b + \eta\,(y - \hat y) \f$.
/// An example that is already classified right leaves p unchanged.
void perceptron_update(dl::Perceptron<double>& p, const dl::Tensor1<double>& x, int y, double eta);

}  // namespace ch01
