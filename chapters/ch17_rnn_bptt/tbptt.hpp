#pragma once
// Truncated backpropagation through time on a delayed echo: N endless streams of random bits,
// the target at step t is the bit of step t - delay. The RNN reads the streams in chunks of k
// steps; the state is carried from chunk to chunk, the gradient is cut at each chunk's start.
#include <dlcore/dlcore.hpp>

namespace ch17 {

using namespace dl;

// Random bits (k, N, 1) for the next chunk, and their targets: the bit `delay` steps earlier
// on the same stream (`past` keeps each stream's last `delay` bits, oldest first).
inline void echo_chunk(std::size_t k, std::size_t delay, Rng& rng, std::vector<std::vector<int>>& past,
                       Tensor3<float>& x, Labels& y) {
  const std::size_t N = past.size();
  x.resize({k, N, 1});
  y.resize({k * N});
  for (std::size_t t = 0; t < k; ++t)
    for (std::size_t n = 0; n < N; ++n) {
      const int bit = int(rng.below(2));
      x(t, n, 0) = float(bit);
      y(t * N + n) = past[n].front();  // step-major, as FlattenSteps lays the outputs out
      past[n].erase(past[n].begin());
      past[n].push_back(bit);
    }
}

// Train with TBPTT chunks of k steps; returns the accuracy on fresh streams read whole.
inline double tbptt_echo(std::size_t delay, std::size_t k, std::size_t hidden, std::size_t chunks,
                         std::uint64_t seed) {
  Rng rng(seed);
  const std::size_t N = 32;
  RNN<float> rnn(1, hidden, rng);
  FlattenSteps<float> rows;
  Linear<float> out(hidden, 2, rng, Init::lecun_uniform);
  SoftmaxCrossEntropy<float> loss;
  auto params = rnn.params();
  for (const auto& p : out.params()) params.push_back(p);
  Adam<float> adam(3e-3f);
  std::vector<std::vector<int>> past(N, std::vector<int>(delay, 0));
  Tensor3<float> x;
  Labels y;
  RecurrentState<float> state;  // zeros at the start of the streams
  for (std::size_t i = 0; i < chunks; ++i) {
    echo_chunk(k, delay, rng, past, x, y);
    //! [tbptt]
    RNN<float>::Cache rc;
    FlattenSteps<float>::Cache fc;
    Linear<float>::Cache lc;
    SoftmaxCrossEntropy<float>::Cache cc;
    zero_grad(params);
    const Tensor3<float> h = rnn.run(x, state, nullptr, rc);  // start where the last chunk ended
    state = rc.final_state();                                 // carry the state (values only)
    loss.forward(out.forward(rows.forward(h, fc), lc), y, cc);
    const Tensor3<float> dh = rows.backward(out.backward(loss.backward(cc), lc), fc);
    rnn.backward_full(dh, {}, rc);  // the gradient stops at the chunk's first step: dh0 is dropped
    clip_grad_norm(params, 1.0);
    adam.step(params);
    //! [tbptt]
  }
  // Test: 8 fresh streams of 500 steps read in one pass, scored from step `delay` on.
  Rng test_rng(seed + 1);
  std::vector<std::vector<int>> test_past(8, std::vector<int>(delay, 0));
  echo_chunk(500, delay, test_rng, test_past, x, y);
  RNN<float>::Cache rc;
  FlattenSteps<float>::Cache fc;
  Linear<float>::Cache lc;
  const Labels pred = argmax_rows(out.forward(rows.forward(rnn.run(x, {}, nullptr, rc), fc), lc));
  double hits = 0, count = 0;
  for (std::size_t i = delay * 8; i < pred.size(); ++i, ++count) hits += pred(i) == y(i);
  return hits / count;
}

}  // namespace ch17
