#pragma once
// Chapter 20's figures and metrics: the variance argument for 1/sqrt(d), the reversal task
// (accuracy against length, training curves, attention heat maps), the word readers.
#include <dlcore/dlcore.hpp>
#include <datasets/words.hpp>

#include "exercise.hpp"
#include "readers.hpp"
#include "reversal.hpp"

namespace ch20 {

using namespace dl;

inline std::string kind_color(AttentionKind k) {
  switch (k) {
    case AttentionKind::none: return "lc rgb '#d95f02'";
    case AttentionKind::additive: return "lc rgb '#1b9e77'";
    case AttentionKind::dot: return "lc rgb '#7570b3'";
  }
  return "";
}

/// Why 1/sqrt(d): for q, k with independent N(0, 1) components, the standard deviation of
/// q . k (measured against sqrt(d)), and how peaked a softmax over 16 such scores is with and
/// without the scaling (its largest weight, averaged). Figures dot_variance.svg,
/// softmax_saturation.svg; metrics dot_std_d64, max_weight_d64_unscaled, ..._scaled.
inline void scaling_experiment(const std::filesystem::path& out, std::uint64_t seed, nlohmann::json& m) {
  Rng rng(seed);
  const std::size_t S = 16, trials = 400;
  std::vector<double> ds, stds, sqrt_d, max_raw, max_scaled;
  for (std::size_t d = 2; d <= 512; d *= 2) {
    double sum2 = 0, mr = 0, ms = 0;
    std::vector<double> e(S), es(S), q(d), k(d);
    for (std::size_t trial = 0; trial < trials; ++trial) {
      for (auto& v : q) v = rng.normal();
      for (std::size_t s = 0; s < S; ++s) {
        for (auto& v : k) v = rng.normal();
        double dot = 0;
        for (std::size_t i = 0; i < d; ++i) dot += q[i] * k[i];
        e[s] = dot;
        es[s] = dot / std::sqrt(double(d));
        sum2 += dot * dot;
      }
      masked_softmax_row(e.data(), S, S);
      masked_softmax_row(es.data(), S, S);
      mr += *std::max_element(e.begin(), e.end());
      ms += *std::max_element(es.begin(), es.end());
    }
    ds.push_back(double(d));
    stds.push_back(std::sqrt(sum2 / double(trials * S)));
    sqrt_d.push_back(std::sqrt(double(d)));
    max_raw.push_back(mr / trials);
    max_scaled.push_back(ms / trials);
    m[fmt::format("dot_std_d{}", d)] = stds.back();
    m[fmt::format("max_weight_d{}_unscaled", d)] = max_raw.back();
    m[fmt::format("max_weight_d{}_scaled", d)] = max_scaled.back();
  }
  plot::Figure var("Dot product of two random vectors with N(0, 1) components", "dimension d",
                   "standard deviation of q . k");
  var.log_x().log_y().raw("set grid").key("top left");
  var.linespoints("measured (400 x 16 pairs per d)", ds, stds, "lw 2").line("sqrt(d)", ds, sqrt_d, "dt 2 lc 'gray'");
  var.save(out / "dot_variance.svg");
  plot::Figure sat("Softmax over 16 keys: largest weight, averaged over 400 queries", "dimension d",
                   "largest attention weight");
  sat.log_x().yrange(0, 1.05).raw("set grid").key("center right");
  sat.linespoints("scores q . k", ds, max_raw, "lw 2 lc rgb '#d95f02'")
      .linespoints("scores q . k / sqrt(d)", ds, max_scaled, "lw 2 lc rgb '#1b9e77'")
      .line("uniform (1/16)", {ds.front(), ds.back()}, {1.0 / S, 1.0 / S}, "dt 2 lc 'gray'");
  sat.save(out / "softmax_saturation.svg");
}

/// The reversal runs: accuracy against length, sequence accuracy at the longest length during
/// training, training loss; metrics reverse_<kind>_L<L>_sequence_accuracy, ...
inline void report_reversal(const std::filesystem::path& out, const std::vector<TaskRun>& runs,
                            const TaskSettings& s, nlohmann::json& m) {
  plot::Figure acc(fmt::format("Reversing {}-{} digits: greedy decoding, per length", s.min_len, s.max_len),
                   "sequence length L", "accuracy");
  acc.yrange(0, 1.05).raw("set grid").key("bottom left");
  plot::Figure curve(fmt::format("Sequence accuracy at L = {} during training", s.max_len), "training step",
                     "sequence accuracy");
  curve.yrange(0, 1.05).raw("set grid").key("top left");
  plot::Figure loss("Training loss (cross-entropy per target symbol, mean of 50 steps)", "training step",
                    "loss");
  loss.log_y().raw("set grid").raw("set format y '%g'").key("top right");
  for (const auto& r : runs) {
    const std::string k = to_string(r.kind), c = kind_color(r.kind);
    std::vector<double> L, seq, sym;
    for (const auto& sc : r.scores) {
      L.push_back(double(sc.length));
      seq.push_back(sc.sequence_accuracy);
      sym.push_back(sc.symbol_accuracy);
      m[fmt::format("reverse_{}_L{}_sequence_accuracy", k, sc.length)] = sc.sequence_accuracy;
      m[fmt::format("reverse_{}_L{}_symbol_accuracy", k, sc.length)] = sc.symbol_accuracy;
    }
    acc.linespoints(k + ": whole sequence right", L, seq, c + " lw 2")
        .linespoints(k + ": symbols right", L, sym, c + " dt 2");
    std::vector<double> st, sa;
    for (const auto& [step, a] : r.curve) st.push_back(double(step)), sa.push_back(a);
    curve.linespoints(k, st, sa, c + " lw 2");
    std::vector<double> ls, lv;
    for (std::size_t i = 50; i <= r.step_loss.size(); i += 50) {
      double mean = 0;
      for (std::size_t j = i - 50; j < i; ++j) mean += r.step_loss[j] / 50;
      ls.push_back(double(i));
      lv.push_back(mean);
    }
    if (!ls.empty()) loss.line(k, ls, lv, c + " lw 2");
    m["reverse_" + k + "_num_params"] = r.num_params;
    m["reverse_" + k + "_seconds"] = r.seconds;
    m["reverse_" + k + "_longest_sequence_accuracy"] = r.scores.back().sequence_accuracy;
  }
  acc.save(out / "reverse_accuracy_vs_length.svg");
  curve.save(out / "reverse_training_accuracy.svg");
  loss.save(out / "reverse_loss.svg");
  m["reverse_longest_length"] = s.eval_lengths.back();
  m["reverse_steps"] = s.steps;
}

/// One source sequence decoded by a trained model, its attention weights as a heat map:
/// rows the output steps (labelled with the symbol produced), columns the source positions.
inline void plot_attention_map(const std::filesystem::path& svg, const Seq2Seq<float>& model, std::size_t L,
                               std::size_t symbols, std::uint64_t seed) {
  Rng rng(seed);
  const Batch b = reversal_batch(1, L, L, symbols, rng);
  Tensor3<float> w;
  const Tensor2<float> out = model.greedy(b.src, b.lengths, L, kStart, &w);
  Tensor2<double> map = Tensor2<double>::from_shape({L, L});
  std::vector<std::string> rows, cols;
  for (std::size_t t = 0; t < L; ++t) {
    rows.push_back(fmt::format("{}", int(out(0, t)) - int(kFirstSymbol)));
    cols.push_back(fmt::format("{}", int(b.src(0, t)) - int(kFirstSymbol)));
    for (std::size_t s = 0; s < L; ++s) map(t, s) = double(w(0, t, s));
  }
  plot::heatmap(svg, map, rows, cols,
                fmt::format("{} attention while reversing {} digits", to_string(model.kind), L),
                "source position (its digit)", "output step (the digit produced)", false);
}

/// The word readers: validation accuracy per epoch of both; metrics <name>_test_accuracy, ...
inline void report_readers(const std::filesystem::path& out, const std::vector<ReaderRun>& runs, nlohmann::json& m) {
  plot::Figure acc("Language of a word: validation accuracy per epoch", "epoch", "validation accuracy");
  acc.raw("set grid").key("bottom right");
  const std::vector<std::string> colors = {"lc rgb '#e7298a'", "lc rgb '#7570b3'"};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    std::vector<double> e, va, ta;
    for (const auto& rec : r.history.epochs) {
      e.push_back(rec.epoch);
      va.push_back(rec.val_accuracy);
      ta.push_back(rec.train_accuracy);
    }
    acc.linespoints(r.name + " validation", e, va, colors[i % 2] + " lw 2")
        .linespoints(r.name + " training", e, ta, colors[i % 2] + " dt 2");
    m[r.name + "_test_accuracy"] = r.test_accuracy;
    m[r.name + "_test_loss"] = r.test_loss;
    m[r.name + "_val_accuracy"] = r.history.epochs.back().val_accuracy;
    m[r.name + "_num_params"] = r.num_params;
    m[r.name + "_seconds_per_epoch"] = r.history.seconds / double(r.history.epochs.size());
  }
  acc.save(out / "readers_accuracy.svg");
}

/// Exercise 20.1 against the library's kernel (one sequence, one query): the same dq, dK, dV?
inline bool exercise_matches_library() {
  const std::size_t S = 6, d = 4, dv = 3;
  Rng rng(20);
  std::vector<double> q(d), K(S * d), V(S * dv), dout(dv), a(S), O(dv);
  for (auto* v : {&q, &K, &V, &dout}) for (auto& x : *v) x = rng.normal();
  const double scale = 1 / std::sqrt(double(d));
  attention_forward<double>(1, S, S, d, dv, scale, q.data(), d, K.data(), d, V.data(), dv, a.data(), O.data(), dv);
  std::vector<double> work(S), dq(d), dK(S * d), dV(S * dv), mq(d), mK(S * d), mV(S * dv);
  attention_backward<double>(1, S, S, d, dv, scale, q.data(), d, K.data(), d, V.data(), dv, a.data(), dout.data(),
                             dv, work.data(), dq.data(), d, dK.data(), d, dV.data(), dv);
  attention_backward_one(q, K, V, a, dout, mq, mK, mV);
  auto close = [](const std::vector<double>& x, const std::vector<double>& y) {
    for (std::size_t i = 0; i < x.size(); ++i)
      if (std::abs(x[i] - y[i]) > 1e-12) return false;
    return true;
  };
  return close(dq, mq) && close(dK, mK) && close(dV, mV);
}

}  // namespace ch20
