#pragma once
// Chapter 18's figures and metrics: the task sweeps (final error vs T per cell, a test curve
// per cell at the longest T) and the Fashion-MNIST runs (curves of both cells on one figure).
#include <dlcore/dlcore.hpp>

#include "exercise.hpp"
#include "tasks.hpp"

namespace ch18 {

using namespace dl;

// One colour per cell in every figure of the chapter (gnuplot line options).
inline std::string cell_color(CellKind c) {
  switch (c) {
    case CellKind::rnn: return "lc rgb '#d95f02'";
    case CellKind::lstm: return "lc rgb '#1b9e77'";
    case CellKind::gru: return "lc rgb '#7570b3'";
  }
  return "";
}

// The figures of the task sweeps, and metrics keys adding_T100_lstm_mse, copy_T50_gru_accuracy, ...
inline void report_tasks(const std::filesystem::path& out, const std::vector<TaskResult>& add_runs,
                         const std::vector<TaskResult>& copy_runs, const TaskSettings& ts,
                         nlohmann::json& m) {
  auto sweep = [&](const std::vector<TaskResult>& runs, const std::string& task, const std::string& what,
                   plot::Figure vs_T, plot::Figure curves) {
    if (runs.empty()) return;
    std::size_t longest = 0, shortest = runs.front().T;
    for (const auto& r : runs) longest = std::max(longest, r.T), shortest = std::min(shortest, r.T);
    for (CellKind c : {CellKind::rnn, CellKind::lstm, CellKind::gru}) {
      std::vector<double> Ts, finals;
      for (const auto& r : runs) {
        if (r.cell != c) continue;
        Ts.push_back(double(r.T));
        finals.push_back(r.final_test);
        m[fmt::format("{}_T{}_{}_{}", task, r.T, to_string(c), what)] = r.final_test;
        m[fmt::format("{}_T{}_{}_seconds", task, r.T, to_string(c))] = r.history.seconds;
        if (r.T == longest) {
          std::vector<double> steps, values;
          for (const auto& p : r.history.tests) {
            steps.push_back(double(p.step));
            values.push_back(what == "mse" ? p.test_loss : p.test_accuracy);
          }
          curves.linespoints(to_string(c), steps, values, cell_color(c));
        }
      }
      if (!Ts.empty()) vs_T.linespoints(to_string(c), Ts, finals, cell_color(c) + " lw 2");
    }
    vs_T.line(what == "mse" ? "guessing 1 (MSE 1/6)" : "guessing (1/K)", {double(shortest), double(longest)},
              std::vector<double>(2, what == "mse" ? 1.0 / 6 : 1.0 / double(ts.alphabet)), "dt 2 lc 'gray'");
    vs_T.save(out / (task + "_vs_T.svg"));
    curves.save(out / (task + "_curves.svg"));
  };
  const std::string recipe = fmt::format("hidden {}, batch {}, Adam {}, {} steps", ts.hidden, ts.batch, ts.lr, ts.steps);
  plot::Figure add_T("Adding problem: test MSE after training (" + recipe + ")", "sequence length T", "test MSE");
  add_T.log_y().raw("set grid").raw("set format y '%g'").key("center right");
  plot::Figure add_c("Adding problem at the longest T: test MSE during training", "step", "test MSE");
  add_c.log_y().raw("set grid").raw("set format y '%g'").key("bottom left");
  sweep(add_runs, "adding", "mse", add_T, add_c);
  plot::Figure copy_T("Copy task: accuracy of the recalled symbols (" + recipe + ")", "delay T", "accuracy");
  copy_T.yrange(0, 1.05).raw("set grid").key("bottom left");
  plot::Figure copy_c("Copy task at the longest delay: accuracy during training", "step", "accuracy");
  copy_c.yrange(0, 1.05).raw("set grid").key("top left");
  sweep(copy_runs, "copy", "accuracy", copy_T, copy_c);
}

struct FashionResult {
  CellKind cell;
  History history;
  double test_accuracy = 0, test_loss = 0;
  std::size_t num_params = 0;
};

inline FashionResult evaluate_fashion(CellKind cell, Sequential<float>& net, const History& h,
                                      const Dataset<Tensor3<float>>& test) {
  const Evaluation ev = evaluate(net, SoftmaxCrossEntropy<float>{}, test.X, test.y);
  fmt::print("{}: test accuracy {:.4f}, test loss {:.4f}, {:.1f} s per epoch\n", to_string(cell),
             ev.accuracy, ev.loss, h.seconds / double(h.epochs.size()));
  return {cell, h, ev.accuracy, ev.loss, net.num_params()};
}

// Loss and accuracy per epoch of every cell on one figure each; metrics lstm_test_accuracy, ...
inline void report_fashion(const std::filesystem::path& out, const std::vector<FashionResult>& runs,
                           nlohmann::json& m) {
  plot::Figure loss("Fashion-MNIST row by row: loss per epoch", "epoch", "cross-entropy");
  plot::Figure acc("Fashion-MNIST row by row: accuracy per epoch", "epoch", "accuracy");
  loss.raw("set grid");
  acc.raw("set grid").key("bottom right");
  for (const auto& r : runs) {
    const std::string c = to_string(r.cell);
    std::vector<double> e, tl, vl, ta, va;
    for (const auto& rec : r.history.epochs) {
      e.push_back(rec.epoch);
      tl.push_back(rec.train_loss);
      vl.push_back(rec.val_loss);
      ta.push_back(rec.train_accuracy);
      va.push_back(rec.val_accuracy);
    }
    const std::string color = cell_color(r.cell);
    loss.linespoints(c + " train", e, tl, color).linespoints(c + " validation", e, vl, color + " dt 2");
    acc.linespoints(c + " train", e, ta, color).linespoints(c + " validation", e, va, color + " dt 2");
    m[c + "_test_accuracy"] = r.test_accuracy;
    m[c + "_test_loss"] = r.test_loss;
    m[c + "_val_accuracy"] = r.history.epochs.back().val_accuracy;
    m[c + "_epochs"] = r.history.epochs.size();
    m[c + "_num_params"] = r.num_params;
    m[c + "_seconds_per_epoch"] = r.history.seconds / double(r.history.epochs.size());
  }
  if (runs.empty()) return;
  loss.save(out / "fashion_loss.svg");
  acc.save(out / "fashion_accuracy.svg");
}

// Exercise 18.1 against the library's LSTM cell on random values: do both give the same
// pre-activation gradients and dL/dc_{t-1}?
inline bool exercise_matches_layer() {
  const std::size_t H = 5;
  Rng rng(18);
  std::vector<double> gates(4 * H), c_prev(H), tanh_c(H), dh(H), dc(H);
  for (auto& v : gates) v = rng.uniform(0.05, 0.95);
  for (auto* v : {&c_prev, &dh, &dc}) for (auto& x : *v) x = rng.normal();
  for (auto& v : tanh_c) v = rng.uniform(-0.9, 0.9);
  std::vector<double> da_lib(4 * H), dc_prev_lib(H), da(4 * H), dc_prev(H), unused(H);
  CellBackward<double> s{1, H, gates.data(), tanh_c.data(), nullptr, c_prev.data(), dh.data(), dc.data(),
                         da_lib.data(), da_lib.data(), unused.data(), dc_prev_lib.data()};
  LSTMCell<double>::backward(s);
  lstm_step_backward(gates, c_prev, tanh_c, dh, dc, da, dc_prev);
  auto close = [](const std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (std::abs(a[i] - b[i]) > 1e-12) return false;
    return true;
  };
  return close(da, da_lib) && close(dc_prev, dc_prev_lib);
}

}  // namespace ch18
