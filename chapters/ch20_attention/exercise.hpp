#pragma once
/// \file
/// Chapter 20 exercise: the backward pass of scaled dot-product attention for one query.
/// Statement: @ref ch20_exercises "Chapter 20, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch20_attention_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>
#include <vector>

namespace ch20 {

/// Backward through \f$ o = \sum_s a_s v_s \f$ with \f$ a = \text{softmax}(e) \f$ and
/// \f$ e_s = q \cdot k_s / \sqrt{d} \f$, for one query q (d values) over S keys.
///
/// Given: `q` (d), `K` (S rows of d: row s is \f$ k_s \f$), `V` (S rows of dv: \f$ v_s \f$),
/// the weights `a` (S) that forward computed, and `dout` (dv) = \f$ \partial L/\partial o \f$.
/// Compute: `dq` (d), `dK` (S d), `dV` (S dv): the gradients of L with respect to q, every key
/// and every value. The outputs are already sized.
void attention_backward_one(const std::vector<double>& q, const std::vector<double>& K,
                            const std::vector<double>& V, const std::vector<double>& a,
                            const std::vector<double>& dout, std::vector<double>& dq,
                            std::vector<double>& dK, std::vector<double>& dV);

}  // namespace ch20
