#pragma once
/// \file
/// Chapter 23 exercise: a new operation for the tape, tanh, with its vector-Jacobian product.
/// Statement: @ref ch23_frameworks "Chapter 23, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch23_frameworks_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include "autograd.hpp"

namespace ch23 {

/// Record \f$ Y = \tanh(X) \f$ on `tape` (elementwise) and return it. Its backward must add
/// \f$ \bar Y \odot (1 - Y^2) \f$ to the gradient of X, so that a network built with it
/// gets the same gradients as dlcore's Tanh layer.
Var tanh(Tape& tape, Var x);

}  // namespace ch23
