#pragma once
/// \file
/// Chapter 19 exercise: the gradient of the skip-gram negative-sampling loss for one example.
/// Statement: @ref ch19_exercises "Chapter 19, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch19_text_classification_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <vector>

namespace ch19 {

/// One skip-gram example: the centre word's vector `v` (E values), the true context word's
/// output vector `u_o` and the output vectors `u_neg[i]` of K negative words.
/// Return the loss
/// \f$ \ell = -\log\sigma(u_o^\top v) - \sum_i \log\sigma(-u_{neg,i}^\top v) \f$ and fill
/// `dv` = \f$ \partial\ell/\partial v \f$, `du_o` = \f$ \partial\ell/\partial u_o \f$ and
/// `du_neg[i]` = \f$ \partial\ell/\partial u_{neg,i} \f$ (all already sized).
double skipgram_gradient(const std::vector<double>& v, const std::vector<double>& u_o,
                         const std::vector<std::vector<double>>& u_neg, std::vector<double>& dv,
                         std::vector<double>& du_o, std::vector<std::vector<double>>& du_neg);

}  // namespace ch19
