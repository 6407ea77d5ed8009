// Exercise 17.1: the BPTT loop of an Elman RNN. Replace the body; the statement is in
// exercise.hpp.
#include "exercise.hpp"

namespace ch17 {

void rnn_bptt(const Rows& h, const Rows& W_hh, const Rows& dy, Rows& da, std::vector<double>& dh0) {
  // TODO: carry dL/dh_t backwards: add the output's gradient, go through tanh, then W_hh.
  for (auto& row : da)
    for (auto& v : row) v = 0;
  for (auto& v : dh0) v = 0;
}

}  // namespace ch17
