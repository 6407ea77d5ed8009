// Exercise 17.1, reference solution: the BPTT loop of an Elman RNN.
#include "exercise.hpp"

namespace ch17 {

void rnn_bptt(const Rows& h, const Rows& W_hh, const Rows& dy, Rows& da, std::vector<double>& dh0) {
  const std::size_t T = dy.size(), H = dh0.size();
  std::vector<double> dh_next(H, 0.0);  // dL/dh_t arriving from step t+1 (none after T)
  for (std::size_t t = T; t >= 1; --t) {
    for (std::size_t i = 0; i < H; ++i) {
      const double dh = dy[t - 1][i] + dh_next[i];   // both paths into h_t
      da[t - 1][i] = dh * (1 - h[t][i] * h[t][i]);   // h_t = tanh(a_t)
    }
    for (std::size_t j = 0; j < H; ++j) {            // a_t = ... + W_hh h_{t-1}
      dh_next[j] = 0;
      for (std::size_t i = 0; i < H; ++i) dh_next[j] += da[t - 1][i] * W_hh[i][j];
    }
  }
  dh0 = dh_next;
}

}  // namespace ch17
