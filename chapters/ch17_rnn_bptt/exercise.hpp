#pragma once
/// \file
/// Chapter 17 exercise: the backward loop of backpropagation through time for an Elman RNN.
/// Statement: @ref ch17_rnn_bptt "Chapter 17, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch17_rnn_bptt_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <vector>

namespace ch17 {

using Rows = std::vector<std::vector<double>>;

/// BPTT for one sequence of an Elman RNN with H units:
/// \f$ a_t = W_{ih} x_t + b + W_{hh} h_{t-1} \f$, \f$ h_t = \tanh a_t \f$, t = 1 ... T.
/// Given: `h` (T + 1 rows of H: \f$ h_0, \dots, h_T \f$), `W_hh` (H rows of H:
/// \f$ (W_{hh} h)_i = \sum_j W_{hh}[i][j]\, h_j \f$) and `dy` (T rows of H: row t-1 is the
/// gradient that the output at step t sends to \f$ h_t \f$).
/// Compute, running t = T ... 1: `da` (T rows of H, row t-1 = \f$ \partial L/\partial a_t \f$)
/// and `dh0` (H values, \f$ \partial L/\partial h_0 \f$). The outputs are already sized.
void rnn_bptt(const Rows& h, const Rows& W_hh, const Rows& dy, Rows& da, std::vector<double>& dh0);

}  // namespace ch17
