#pragma once
/// \file
/// Chapter 21 exercises: the forward algorithm and Viterbi decoding of a linear-chain CRF for
/// one sequence. Statement: @ref ch21_exercises "Chapter 21, exercises". Edit exercise.cpp;
/// the tests (tests/exercises/ch21_sequence_labeling_test.cpp) check your answers when built
/// with -DDLBOOK_EXERCISES=mine.

#include <vector>

namespace ch21 {

/// A matrix as rows: m[r][c].
using Matrix = std::vector<std::vector<double>>;

/// Exercise 21.1: \f$ \log Z \f$ of one sequence of L steps over K tags, by the forward
/// algorithm in log space. `e` (L x K): emission scores \f$ E_{t,k} \f$; `A` (K x K): transition
/// scores, A[i][j] for tag i followed by tag j; `start`, `end` (K): the scores of the first and
/// the last tag. \f$ Z = \sum_y \exp s(y) \f$ over all \f$ K^L \f$ paths with
/// \f$ s(y) = \text{start}_{y_0} + \sum_t E_{t,y_t} + \sum_{t \ge 1} A_{y_{t-1},y_t} + \text{end}_{y_{L-1}} \f$.
/// The scores may be large (hundreds): work with logarithms throughout.
double crf_log_partition(const Matrix& e, const Matrix& A, const std::vector<double>& start,
                         const std::vector<double>& end);

/// Exercise 21.2: the tag path y (L tags in [0, K)) with the highest score s(y), by Viterbi.
std::vector<int> crf_viterbi(const Matrix& e, const Matrix& A, const std::vector<double>& start,
                             const std::vector<double>& end);

}  // namespace ch21
