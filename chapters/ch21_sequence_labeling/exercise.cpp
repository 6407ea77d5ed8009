// Exercises 21.1 and 21.2: the forward algorithm and Viterbi for one sequence. Replace the
// bodies; the statements are in exercise.hpp.
#include "exercise.hpp"

namespace ch21 {

double crf_log_partition(const Matrix& e, const Matrix& A, const std::vector<double>& start,
                         const std::vector<double>& end) {
  // TODO: alpha_0 = start + E_0; alpha_t(j) = E_tj + log sum_i exp(alpha_{t-1}(i) + A_ij);
  // log Z = log sum_j exp(alpha_{L-1}(j) + end_j), each log-sum-exp shifted by its maximum.
  (void)e, (void)A, (void)start, (void)end;
  return 0.0;
}

std::vector<int> crf_viterbi(const Matrix& e, const Matrix& A, const std::vector<double>& start,
                             const std::vector<double>& end) {
  // TODO: the same recursion with max instead of log-sum-exp, remembering each step's best
  // predecessor, then the path followed back from the best last tag.
  (void)A, (void)start, (void)end;
  return std::vector<int>(e.size(), 0);
}

}  // namespace ch21
