// Chapter 17: the Elman RNN and backpropagation through time. How the gradient through time
// shrinks or grows with the spectral radius of W_hh, clipping an exploding run, where the
// RNN stops learning the adding problem as T grows, and truncated BPTT on a delayed echo.
// Text: docs/ch17_rnn_bptt.md
#include <dlcore/dlcore.hpp>

#include "exercise.hpp"
#include "experiments.hpp"
#include "tbptt.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch17_rnn_bptt", "Chapter 17: the Elman RNN and backpropagation through time");
  std::vector<double> radii = {0.5, 0.9, 1.0, 1.1, 1.5, 3.0};
  std::vector<std::size_t> adding_T = {5, 10, 20, 40, 80}, chunk_k = {2, 4, 5, 6, 8, 16};
  std::size_t hidden = 32, lag_T = 100, adding_steps = 1500, clip_steps = 600, delay = 5, chunks = 1500;
  std::size_t clip_T = 10;
  double clip_rho = 1.2;
  float clip_lr = 0.1f;
  auto& app = cli.app();
  app.add_option("--radii", radii, "Spectral radii of W_hh for the gradient-vs-lag plot")->delimiter(',')->capture_default_str();
  app.add_option("--lag-T", lag_T, "Sequence length of the gradient-vs-lag measurement")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--hidden", hidden, "Hidden units of every RNN")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--adding-T", adding_T, "Lengths T of the adding problem")->delimiter(',')->check(CLI::Range(2, 100000))->capture_default_str();
  app.add_option("--adding-steps", adding_steps, "Adam steps per adding-problem run")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--clip-steps", clip_steps, "SGD steps of the clipping comparison")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--clip-T", clip_T, "Length T of the adding problem in the clipping comparison")->check(CLI::Range(2, 100000))->capture_default_str();
  app.add_option("--clip-rho", clip_rho, "Spectral radius of W_hh at the start of the clipping comparison")->capture_default_str();
  app.add_option("--clip-lr", clip_lr, "SGD learning rate of the clipping comparison")->capture_default_str();
  app.add_option("--delay", delay, "Delay d of the echo task (target at t: the bit of t - d)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--tbptt-k", chunk_k, "TBPTT chunk lengths k to compare")->delimiter(',')->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--tbptt-chunks", chunks, "Training chunks per TBPTT run")->check(CLI::PositiveNumber)->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    keep_freed_memory();
    set_parallel_threads(opt.threads);  // the recurrent layers split their work over the cores,
    set_num_threads(1);                 // each matrix product single-threaded
    if (opt.quick) {  // the tests' settings
      lag_T = 30;
      adding_T = {5, 10};
      adding_steps = clip_steps = 60;
      chunk_k = {2, 8};
      chunks = 100;
    }
    nlohmann::json m;

    // ---- The gradient through time: ||dL/dh_{T-k}|| against the lag k, per spectral radius
    plot::Figure lag("Gradient through time: ||dL/dh_{T-k}|| for L = r.h_T", "lag k (steps back from T)",
                     "gradient norm");
    lag.log_y().raw("set grid").key("outside right");
    for (double rho : radii) {
      const auto norms = ch17::gradient_vs_lag(rho, lag_T, hidden, 0.5, opt.seed);
      std::vector<double> k(norms.size());
      std::iota(k.begin(), k.end(), 0.0);
      lag.line(fmt::format("rho = {}", rho), k, norms);
      m[fmt::format("grad_lag{}_rho{}", lag_T, rho)] = norms.back();
      m[fmt::format("grad_lag10_rho{}", rho)] = norms[std::min<std::size_t>(10, lag_T)];
      fmt::print("rho {:4}: ||dL/dh_T-10|| = {:.3g}, ||dL/dh_0|| = {:.3g}\n", rho,
                 norms[std::min<std::size_t>(10, lag_T)], norms.back());
    }
    lag.save(opt.out / "gradient_vs_lag.svg");

    // ---- Exploding gradients and clipping: the same SGD run with and without it
    plot::Figure clip_fig(fmt::format("SGD (lr {}) on the adding problem, T = {}, W_hh with radius {}", clip_lr, clip_T, clip_rho),
                          "step", "training loss (MSE)");
    clip_fig.log_y().raw("set grid");
    plot::Figure norm_fig("Gradient norm before clipping", "step", "global gradient norm");
    norm_fig.log_y().raw("set grid");
    for (double clip : {0.0, 1.0}) {
      const auto h = ch17::adding_sgd(clip_T, hidden, clip_rho, clip_lr, clip, clip_steps, opt.seed, opt.progress);
      std::vector<double> s(h.step_loss.size());
      std::iota(s.begin(), s.end(), 1.0);
      const std::string name = clip > 0 ? "clipped at norm 1" : "no clipping";
      clip_fig.line(name, s, h.step_loss);
      norm_fig.line(name, s, h.grad_norm);
      const std::string key = clip > 0 ? "clipped" : "unclipped";
      m[key + "_diverged_at"] = h.diverged_at;
      m[key + "_max_grad_norm"] = *std::max_element(h.grad_norm.begin(), h.grad_norm.end());
      m[key + "_final_test_mse"] = h.tests.empty() ? NAN : h.tests.back().test_loss;
    }
    clip_fig.save(opt.out / "clipping_loss.svg");
    norm_fig.save(opt.out / "clipping_grad_norm.svg");

    // ---- The adding problem as T grows: where the plain RNN stops learning
    std::vector<double> Ts, mses;
    for (std::size_t T : adding_T) {
      const double mse = ch17::adding_adam(T, hidden, adding_steps, opt.seed, opt.progress);
      fmt::print("adding problem T = {:3}: test MSE {:.4f} (guessing: 0.167)\n", T, mse);
      Ts.push_back(double(T));
      mses.push_back(mse);
      m[fmt::format("adding_T{}_mse", T)] = mse;
    }
    plot::Figure add_fig(fmt::format("RNN on the adding problem: test MSE after {} Adam steps", adding_steps),
                         "sequence length T", "test MSE");
    add_fig.log_y().raw("set grid").key("bottom right");
    add_fig.linespoints("RNN (tanh)", Ts, mses).line("guessing 1", {Ts.front(), Ts.back()}, {1.0 / 6, 1.0 / 6}, "dt 2");
    add_fig.save(opt.out / "adding_vs_T.svg");

    // ---- Truncated BPTT: chunks of k steps learn a delay of d only when k > d
    std::vector<double> ks, accs;
    for (std::size_t k : chunk_k) {
      const double acc = ch17::tbptt_echo(delay, k, hidden, chunks, opt.seed);
      fmt::print("TBPTT k = {:2}, delay {}: accuracy {:.3f}\n", k, delay, acc);
      ks.push_back(double(k));
      accs.push_back(acc);
      m[fmt::format("tbptt_k{}_accuracy", k)] = acc;
    }
    plot::Figure tb_fig(fmt::format("Truncated BPTT on an echo with delay {}: accuracy vs chunk length", delay),
                        "chunk length k (steps per backward pass)", "test accuracy");
    tb_fig.yrange(0.4, 1.02).raw("set grid").key("bottom right");
    tb_fig.linespoints("RNN", ks, accs).line("delay d", {double(delay), double(delay)}, {0.4, 1.02}, "dt 2");
    tb_fig.save(opt.out / "tbptt.svg");

    m["exercise_bptt_matches"] = ch17::exercise_matches_layer();  // exercise 17.1 against the layer
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} ({:.0f} s)\n", (opt.out / "metrics.json").string(), clock.seconds());
  });
}
