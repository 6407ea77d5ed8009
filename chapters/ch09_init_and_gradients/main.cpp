// Chapter 9: vanishing and exploding gradients in a deep MLP. The same 12-hidden-layer
// network with sigmoid, tanh or ReLU and with small, Xavier, He or large initial weights:
// the signal's spread forward, the gradient norm per layer backward, the first epochs of
// training; the same training on standardised inputs; then gradient clipping on a run whose
// gradients explode.
// Text: docs/ch09_init_and_gradients.md
#include <dlcore/dlcore.hpp>
#include <dlcore/train/standardize.hpp>
#include <map>
#include <datasets/mnist.hpp>

#include "deep_mlp.hpp"
#include "exercise.hpp"

using namespace dl;
using datasets::Split;

namespace {
// Losses of every step and gradient norms (before clipping) of a training run that may diverge.
struct Trace {
  std::vector<double> step, loss, grad_norm;
  std::size_t diverged_at = 0;  ///< the step whose loss was not finite, or 0
  double val_accuracy = 0;
};

Trace train_trace(Sequential<float>& net, Optimizer<float>& opt, const ch09::Config& cfg, double max_norm,
                  const Dataset<Tensor2<float>, Labels>& train, const Dataset<Tensor2<float>, Labels>& val,
                  int epochs, std::uint64_t seed) {
  Trace t;
  Rng rng(seed);
  FitOptions fo;
  fo.epochs = epochs;
  fo.progress = false;
  const auto params = net.params();
  //! [clip]
  fo.before_step = [&] {  // after backward, before the update
    t.grad_norm.push_back(max_norm > 0 ? clip_grad_norm(params, max_norm) : global_grad_norm(params));
  };
  //! [clip]
  fo.on_step = [&](std::size_t s, double l) { t.step.push_back(double(s)), t.loss.push_back(l); };
  try {
    fit(net, SoftmaxCrossEntropy<float>{}, opt, train.X, train.y, rng, fo);
    t.val_accuracy = evaluate(net, SoftmaxCrossEntropy<float>{}, val.X, val.y).accuracy;
  } catch (const DivergenceError& e) {
    t.diverged_at = t.loss.size() + 1;
    fmt::print("  {}: {}\n", cfg.name, e.what());
  }
  return t;
}
}  // namespace

int main(int argc, char** argv) {
  ChapterCli cli("ch09_init_and_gradients", "Chapter 9: initialisation, vanishing and exploding gradients, clipping");
  cli.epochs(3, 1).data();
  std::size_t depth = 12, width = 256, n_train = 10000, probe_batch = 256;
  float lr = 0.01f, clip_lr = 0.1f;
  double max_norm = 1.0;
  auto& app = cli.app();
  app.add_option("--depth", depth, "Hidden layers")->capture_default_str()->check(CLI::Range(1, 100));
  app.add_option("--width", width, "Units per hidden layer")->capture_default_str()->check(CLI::Range(2, 4096));
  app.add_option("--train-size", n_train, "Training images")->capture_default_str()->check(CLI::Range(256, 55000));
  app.add_option("--lr", lr, "SGD (momentum 0.9) learning rate for the comparison of initialisations")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--clip-lr", clip_lr, "The larger learning rate of the clipping experiment")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--max-norm", max_norm, "Clip the global gradient norm to this")->capture_default_str()->check(CLI::PositiveNumber);

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    auto train_all = datasets::to_flat<float>(datasets::load_idx_split(opt.data, Split::train));
    if (opt.quick) n_train = 1500;
    auto [rest, val] = split(train_all, 2000, rng.permutation(train_all.size()));
    const auto train = head(rest, n_train);
    const auto probe = head(train, probe_batch);  // one batch for the probes
    fmt::print("{} hidden layers of {} units; train {} / validation {} images\n", depth, width, train.size(), val.size());

    //! [configs]
    const std::vector<ch09::Config> configs = {
        {"sigmoid sigma=0.01", "sigmoid_small", "sigmoid", Init::normal, 0.01},
        {"sigmoid Xavier", "sigmoid_xavier", "sigmoid", Init::xavier_normal},
        {"tanh sigma=0.01", "tanh_small", "tanh", Init::normal, 0.01},
        {"tanh Xavier", "tanh_xavier", "tanh", Init::xavier_normal},
        {"ReLU sigma=0.01", "relu_small", "relu", Init::normal, 0.01},
        {"ReLU Xavier", "relu_xavier", "relu", Init::xavier_normal},
        {"ReLU He", "relu_he", "relu", Init::he_normal},
        {"ReLU sigma=0.2", "relu_large", "relu", Init::normal, 0.2}};
    //! [configs]
    nlohmann::json m;
    plot::Figure stds("Forward: spread of each hidden layer's output at initialisation", "hidden layer",
                      "standard deviation (log scale)");
    plot::Figure norms("Backward: gradient norm per layer at initialisation", "layer (1 = next to the input)",
                       "||dL/dW|| (log scale)");
    plot::Figure curves("Training loss, SGD with momentum, lr " + fmt::format("{}", lr), "step",
                        "training loss (log scale)");
    std::map<std::string, Trace> raw;  // each run, for the comparison with standardised inputs
    for (const auto& cfg : configs) {
      // ---- Forward and backward at initialisation
      Sequential<float> net = ch09::deep_mlp(cfg, depth, width, opt.seed);
      const auto s = ch09::activation_stds(net, probe.X);
      const auto g = ch09::layer_grad_norms(net, probe.X, probe.y);
      stds.linespoints(cfg.name, ch09::one_to(s.size()), s);
      norms.linespoints(cfg.name, ch09::one_to(g.size()), g);
      m[cfg.key + "_std_first"] = s.front();
      m[cfg.key + "_std_last"] = s.back();
      m[cfg.key + "_grad_first"] = g.front();
      m[cfg.key + "_grad_last"] = g.back();
      m[cfg.key + "_grad_ratio_first_to_last"] = g.front() / g.back();
      // ---- The first epochs of training
      SGD<float> sgd(lr, 0.9f);
      const Trace t = train_trace(net, sgd, cfg, 0, train, val, opt.epochs, opt.seed + 1);
      curves.line(t.diverged_at ? cfg.name + " (diverged)" : cfg.name, t.step, t.loss);
      raw[cfg.key] = t;
      m[cfg.key + "_val_accuracy"] = t.val_accuracy;
      m[cfg.key + "_diverged"] = t.diverged_at > 0;
      fmt::print("{:<22} std layer 1 {:9.3g} layer {} {:9.3g} | grad layer 1 {:9.3g} layer {} {:9.3g} | val acc {:.4f}{}\n",
                 cfg.name, s.front(), s.size(), s.back(), g.front(), g.size(), g.back(), t.val_accuracy,
                 t.diverged_at ? fmt::format(" (diverged at step {})", t.diverged_at) : "");
    }
    stds.log_y().key("outside right").size(960, 450).save(opt.out / "activation_std.svg");
    norms.log_y().key("outside right").size(960, 450).save(opt.out / "grad_norms.svg");
    curves.log_y().yrange(0.2, 5).key("outside right").size(960, 450).save(opt.out / "init_loss_curves.svg");

    // ---- Standardised inputs: pixels shifted and scaled to mean 0, variance 1 per feature
    //! [standardize]
    const Standardizer scaler = Standardizer::fit(train.X);  // the training images' statistics only
    const Dataset<Tensor2<float>, Labels> train_std{scaler.transform(train.X), train.y};
    const Dataset<Tensor2<float>, Labels> val_std{scaler.transform(val.X), val.y};  // the same mu, sigma
    //! [standardize]
    m["pixel_mean"] = xt::mean(train.X)();
    m["pixel_second_moment"] = xt::mean(train.X * train.X)();
    plot::Figure std_curves("Raw pixels in [0, 1] (dashed) against standardised inputs (solid)", "step",
                            "training loss (log scale)");
    const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c"};
    int c = 0;
    for (const std::size_t i : {3, 5, 6}) {  // the three that train: tanh Xavier, ReLU Xavier, ReLU He
      const ch09::Config& cfg = configs[i];
      Sequential<float> net = ch09::deep_mlp(cfg, depth, width, opt.seed);  // the same initial weights
      const auto s = ch09::activation_stds(net, head(train_std, probe_batch).X);
      SGD<float> sgd(lr, 0.9f);
      const Trace t = train_trace(net, sgd, cfg, 0, train_std, val_std, opt.epochs, opt.seed + 1);
      const std::string lc = fmt::format("lc rgb '{}'", colours[c++]);
      std_curves.line(cfg.name + ", raw", raw[cfg.key].step, moving_average(raw[cfg.key].loss, 20), "dt 2 " + lc)
          .line(cfg.name + ", standardised", t.step, moving_average(t.loss, 20), "lw 2 " + lc);
      m[cfg.key + "_standardized_val_accuracy"] = t.val_accuracy;
      m[cfg.key + "_standardized_std_first"] = s.front();
      m[cfg.key + "_standardized_diverged"] = t.diverged_at > 0;
      fmt::print("{:<22} standardised inputs: std layer 1 {:.3g} (raw {:.3g}), val acc {:.4f} (raw {:.4f})\n", cfg.name,
                 s.front(), m[cfg.key + "_std_first"].get<double>(), t.val_accuracy, raw[cfg.key].val_accuracy);
    }
    std_curves.log_y().yrange(0.2, 3).key("outside right").size(960, 450).save(opt.out / "standardize_loss.svg");

    // ---- Gradient clipping on a run that explodes: He init, a large learning rate
    const ch09::Config he = configs[6];
    plot::Figure clip_loss("He-initialised ReLU net, SGD momentum 0.9, lr " + fmt::format("{}", clip_lr),
                           "step", "training loss (log scale)");
    plot::Figure clip_norm("Global gradient norm before clipping", "step", "||g|| (log scale)");
    for (const double mn : {0.0, max_norm}) {
      Sequential<float> net = ch09::deep_mlp(he, depth, width, opt.seed);
      SGD<float> sgd(clip_lr, 0.9f);
      const Trace t = train_trace(net, sgd, he, mn, train, val, opt.epochs, opt.seed + 1);
      const std::string name = mn > 0 ? fmt::format("clipped to {}", mn) : "not clipped";
      const std::string key = mn > 0 ? "clipped" : "unclipped";
      clip_loss.line(name, t.step, t.loss);
      std::vector<double> gs(t.grad_norm.begin(), t.grad_norm.begin() + std::min(t.grad_norm.size(), t.step.size()));
      clip_norm.line(name, ch09::one_to(gs.size()), gs);
      m[key + "_diverged"] = t.diverged_at > 0;
      m[key + "_diverged_at_step"] = t.diverged_at;
      m[key + "_val_accuracy"] = t.val_accuracy;
      m[key + "_final_loss"] = t.loss.empty() ? NAN : t.loss.back();
      m[key + "_max_grad_norm"] = t.grad_norm.empty() ? NAN : *std::max_element(t.grad_norm.begin(), t.grad_norm.end());
      fmt::print("{:<14} steps {} val acc {:.4f} largest gradient norm {:.3g}\n", name, t.loss.size(), t.val_accuracy,
                 m[key + "_max_grad_norm"].get<double>());
    }
    clip_loss.log_y().key("top right").save(opt.out / "clipping_loss.svg");
    clip_norm.log_y().key("top right").save(opt.out / "clipping_grad_norm.svg");

    // ---- Exercises 9.1 and 9.2 against the library
    std::vector<std::vector<double>> gr = {{3.0, 0.0}, {4.0}};
    Tensor1<double> w = {0, 0, 0}, gw = {3, 0, 4};
    const double lib = clip_grad_norm(std::vector<ParamRef<double>>{param_ref<double>("w", w, gw)}, 1.0);
    const double mine = ch09::clip_by_global_norm(gr, 1.0);
    m["exercises_match_library"] = std::abs(ch09::he_std(256) - std::sqrt(2.0 / 256)) < 1e-12 &&
                                   std::abs(ch09::xavier_std(256, 10) - std::sqrt(2.0 / 266)) < 1e-12 &&
                                   std::abs(mine - lib) < 1e-12 && std::abs(gr[1][0] - gw(2)) < 1e-12;
    m["depth"] = depth;
    m["width"] = width;
    m["epochs"] = opt.epochs;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
