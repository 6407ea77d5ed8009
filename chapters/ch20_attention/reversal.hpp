#pragma once
// Chapter 20's sequence-to-sequence task: reverse a sequence of random digits. The output at
// step t is the input at position L - 1 - t, so an encoder-decoder without attention must
// carry the whole sequence in one state, while an attentive decoder can look it up.
// Here: the data, the training loop (teacher forcing, masked cross-entropy, fresh batches)
// and the evaluation by greedy decoding, per length.
#include <dlcore/dlcore.hpp>

namespace ch20 {

using namespace dl;

// Token ids: 0 padding, 1 the decoder's start symbol, 2 + k the digit k.
constexpr std::size_t kPad = 0, kStart = 1, kFirstSymbol = 2;

/// One batch: sources, the teacher-forced decoder inputs (start, y_1 ... y_{L-1}) and the
/// targets (y_1 ... y_L), all (N, max length) as id values, and each sequence's length.
struct Batch {
  Tensor2<float> src, tgt_in, tgt;
  Lengths lengths;
};

struct TaskSettings {
  std::size_t symbols = 10, min_len = 3, max_len = 30;
  std::size_t batch = 64, steps = 3000, eval_every = 250, eval_size = 500;
  std::vector<std::size_t> eval_lengths = {5, 10, 15, 20, 25, 30};
  Seq2SeqSizes sizes;
  float lr = 2e-3f;
  double clip = 1.0;
  bool progress = true;
};

/// `n` sequences with lengths uniform in [lo, hi] (or all of length lo when lo == hi).
inline Batch reversal_batch(std::size_t n, std::size_t lo, std::size_t hi, std::size_t symbols, Rng& rng) {
  Batch b;
  b.src = xt::zeros<float>({n, hi});
  b.tgt_in = xt::zeros<float>({n, hi});
  b.tgt = xt::zeros<float>({n, hi});
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t L = lo + rng.below(hi - lo + 1);
    b.lengths.push_back(L);
    for (std::size_t t = 0; t < L; ++t) b.src(i, t) = float(kFirstSymbol + rng.below(symbols));
    for (std::size_t t = 0; t < L; ++t) b.tgt(i, t) = b.src(i, L - 1 - t);  // reversed
    b.tgt_in(i, 0) = float(kStart);
    for (std::size_t t = 1; t < L; ++t) b.tgt_in(i, t) = b.tgt(i, t - 1);
  }
  return b;
}

/// Cross-entropy over the valid target positions only: the logits rows (t N + n) with
/// t < L_n are gathered, the mean loss taken over them, and the gradient scattered back
/// (zero at the padding).
inline float masked_loss(const Tensor2<float>& logits, const Batch& b, Tensor2<float>& dlogits) {
  const std::size_t N = b.src.shape(0), V = logits.shape(1);
  std::vector<std::size_t> rows;
  std::vector<std::int32_t> labels;
  for (std::size_t t = 0; t < b.tgt.shape(1); ++t)
    for (std::size_t n = 0; n < N; ++n)
      if (t < b.lengths[n]) {
        rows.push_back(t * N + n);
        labels.push_back(std::int32_t(b.tgt(n, t)));
      }
  Tensor2<float> z = Tensor2<float>::from_shape({rows.size(), V});
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy(logits.data() + rows[i] * V, logits.data() + (rows[i] + 1) * V, z.data() + i * V);
  Labels y = Labels::from_shape({labels.size()});
  std::copy(labels.begin(), labels.end(), y.begin());
  SoftmaxCrossEntropy<float> ce;
  SoftmaxCrossEntropy<float>::Cache cache;
  const float loss = ce.forward(z, y, cache);
  const Tensor2<float> dz = ce.backward(cache);
  dlogits = xt::zeros<float>(logits.shape());
  for (std::size_t i = 0; i < rows.size(); ++i)
    std::copy(dz.data() + i * V, dz.data() + (i + 1) * V, dlogits.data() + rows[i] * V);
  return loss;
}

/// Sequence accuracy (every output right) and symbol accuracy of greedy decoding on `n`
/// sequences of exactly length L (a fixed generator per length: every model sees the same).
struct LengthScore {
  std::size_t length = 0;
  double sequence_accuracy = 0, symbol_accuracy = 0;
};

inline LengthScore evaluate_length(const Seq2Seq<float>& model, std::size_t L, std::size_t n,
                                   std::size_t symbols, std::uint64_t seed) {
  Rng rng(seed + 7919 * L);
  const Batch b = reversal_batch(n, L, L, symbols, rng);
  const Tensor2<float> out = model.greedy(b.src, b.lengths, L, kStart);
  std::size_t right_seqs = 0, right_symbols = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t ok = 0;
    for (std::size_t t = 0; t < L; ++t) ok += out(i, t) == b.tgt(i, t);
    right_symbols += ok;
    right_seqs += ok == L;
  }
  return {L, double(right_seqs) / double(n), double(right_symbols) / double(n * L)};
}

/// One model trained and measured.
struct TaskRun {
  AttentionKind kind;
  std::size_t num_params = 0;
  std::vector<double> step_loss;                 // training loss of every step
  std::vector<std::pair<std::size_t, double>> curve;  // (step, sequence accuracy at the longest length)
  std::vector<LengthScore> scores;               // after training, per evaluation length
  double seconds = 0;
};

/// Train a fresh model on `s.steps` fresh batches (teacher forcing, Adam, clipped gradient
/// norm) and score it by greedy decoding at every evaluation length.
inline TaskRun train_reversal(AttentionKind kind, const TaskSettings& s, std::uint64_t seed, Seq2Seq<float>& model) {
  Rng init(seed), rng(seed + 1);
  model = Seq2Seq<float>(kind, s.sizes, init);
  TaskRun run{kind, model.num_params(), {}, {}, {}, 0};
  auto params = model.params();
  Adam<float> adam(s.lr);
  Stopwatch clock;
  Progress bar(s.steps, "reverse, attention " + to_string(kind), s.progress);
  Seq2Seq<float>::Cache cache;
  Tensor2<float> dlogits;
  //! [train_step]
  for (std::size_t step = 1; step <= s.steps; ++step) {
    const Batch b = reversal_batch(s.batch, s.min_len, s.max_len, s.symbols, rng);
    zero_grad(params);
    const Tensor2<float> logits = model.forward(b.src, b.lengths, b.tgt_in, b.lengths, cache);
    const float loss = masked_loss(logits, b, dlogits);  // mean over the valid target symbols
    model.backward(dlogits, cache);
    clip_grad_norm(params, s.clip);
    adam.step(params);
    //! [train_step]
    if (!std::isfinite(loss)) throw DivergenceError(fmt::format("reversal ({}): loss {} at step {}", to_string(kind), loss, step));
    run.step_loss.push_back(loss);
    if (step % s.eval_every == 0 || step == s.steps)
      run.curve.push_back({step, evaluate_length(model, s.max_len, 200, s.symbols, seed + 99).sequence_accuracy});
    bar.update(step, fmt::format("loss {:.3f}", loss));
  }
  bar.finish();
  for (std::size_t L : s.eval_lengths) run.scores.push_back(evaluate_length(model, L, s.eval_size, s.symbols, seed + 5));
  run.seconds = clock.seconds();
  return run;
}

}  // namespace ch20
