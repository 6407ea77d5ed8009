// Chapter 8: regularization. An MLP big enough to memorise 2,000 Fashion-MNIST images is
// trained plain, with an L2 penalty, with an L1 penalty, with dropout and with early
// stopping; the validation curves show which of them over-fit less.
// Text: docs/ch08_regularization.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"
#include "methods.hpp"

using namespace dl;
using datasets::Split;

namespace {
// Exercises 8.1 and 8.2 agree with the library on a small example.
bool exercises_match_library() {
  const std::vector<double> x = {0.5, -1.0, 2.0, 0.0, -0.3}, w = {0.2, -0.4, 0.0, 1.5, -2.0};
  const std::vector<int> keep = {1, 0, 1, 1, 0};
  Tensor2<double> X = xt::zeros<double>({1, 5}), K = X, W = X, G = X;
  for (std::size_t i = 0; i < 5; ++i) X(0, i) = x[i], K(0, i) = keep[i], W(0, i) = w[i];
  Dropout<double>::Cache c;
  const Tensor2<double> y = Dropout<double>(0.4).forward_with_mask(X, K, c);
  const auto mine = ch08::dropout_forward(x, keep, 0.4);
  std::vector<double> g2, g1;
  const std::vector<ParamRef<double>> ps = {param_ref<double>("W", W, G)};
  bool ok = mine.size() == 5 && std::abs(ch08::l2_penalty(w, 0.1, g2) - l2_penalty(ps, 0.1)) < 1e-12 &&
            std::abs(ch08::l1_penalty(w, 0.1, g1) - l1_penalty(ps, 0.1)) < 1e-12;
  for (std::size_t i = 0; ok && i < 5; ++i) ok = std::abs(mine[i] - y(0, i)) < 1e-12;
  return ok;
}
}  // namespace

int main(int argc, char** argv) {
  ChapterCli cli("ch08_regularization", "Chapter 8: L2, L1, dropout and early stopping on a small training set");
  cli.epochs(60, 12).data();
  std::size_t n_train = 2000, n_val = 5000, hidden = 512;
  float lr = 1e-3f, l2 = 3e-4f, l1 = 3e-5f, dropout = 0.3f, input_dropout = 0.1f;
  int patience = 10, capacity_epochs = 30;
  std::string monitor = "val_accuracy";
  auto& app = cli.app();
  app.add_option("--train-size", n_train, "Training images (small, so that the model over-fits)")->capture_default_str()->check(CLI::Range(100, 50000));
  app.add_option("--val", n_val, "Held-out training images for validation")->capture_default_str()->check(CLI::Range(100, 20000));
  app.add_option("--hidden", hidden, "Hidden units of the MLP")->capture_default_str()->check(CLI::Range(1, 4096));
  app.add_option("--lr", lr, "Adam learning rate")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--l2", l2, "L2 coefficient lambda of (lambda/2)||W||^2")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--l1", l1, "L1 coefficient lambda of lambda ||W||_1")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--dropout", dropout, "Drop probability after the hidden layer")->capture_default_str()->check(CLI::Range(0.0, 0.95));
  app.add_option("--input-dropout", input_dropout, "Drop probability of the input pixels (dropout run)")->capture_default_str()->check(CLI::Range(0.0, 0.95));
  app.add_option("--patience", patience, "Early stopping: epochs without a better validation figure")->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--monitor", monitor, "Early stopping watches val_accuracy or val_loss")->capture_default_str()->check(CLI::IsMember({"val_accuracy", "val_loss"}));
  app.add_option("--capacity-epochs", capacity_epochs, "Epochs per width of the capacity curve (0: no curve)")->capture_default_str()->check(CLI::Range(0, 1000));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);

    // ---- The data: a small training set, a validation set, the test set
    auto train_all = datasets::to_flat<float>(datasets::load_idx_split(opt.data, Split::train));
    auto test = datasets::to_flat<float>(datasets::load_idx_split(opt.data, Split::test));
    if (opt.quick) n_train = 500, n_val = 1000, test = head(test, 2000);
    if (n_train + n_val > train_all.size())
      throw ValueError(fmt::format("--train-size {} + --val {} exceed the {} training images", n_train, n_val, train_all.size()));
    auto [rest, val] = split(train_all, n_val, rng.permutation(train_all.size()));
    const ch08::Data train = head(rest, n_train);
    fmt::print("train {} / validation {} / test {} images\n", train.size(), val.size(), test.size());

    nlohmann::json m;
    // ---- Under- and over-fitting: the capacity curve
    const std::vector<std::size_t> widths = opt.quick ? std::vector<std::size_t>{2, 32, 256}
                                                      : std::vector<std::size_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    if (capacity_epochs > 0)
      ch08::capacity_curve(opt.out, widths, train, val, lr, opt.quick ? 5 : capacity_epochs, opt.seed, m);

    // ---- The same over-fitting model, five ways
    //! [methods]
    const std::vector<ch08::Method> methods = {
        {"plain"}, {"l2", l2}, {"l1", 0, l1}, {"dropout", 0, 0, dropout, input_dropout}, {"early_stopping", 0, 0, 0, 0, patience, monitor == "val_loss" ? Monitor::val_loss : Monitor::val_accuracy}};
    //! [methods]
    std::vector<ch08::Result> results;
    plot::Figure val_acc("Validation accuracy per epoch", "epoch", "validation accuracy");
    for (const auto& method : methods) {
      Stopwatch t;
      results.push_back(ch08::train(method, train, val, test, hidden, lr, opt.epochs, opt.seed));
      ch08::Result& r = results.back();
      const auto& last = r.history.epochs.back();
      fmt::print("{:<15} best val acc {:.4f} (epoch {:>2}) | last: train acc {:.4f} val acc {:.4f} val loss {:.4f} | test acc {:.4f} ({:.1f} s)\n",
                 method.name, r.best_val_accuracy, r.best_epoch, last.train_accuracy, last.val_accuracy,
                 last.val_loss, r.test_accuracy, t.seconds());
      plot_history(opt.out, r.history, method.name + ": train vs validation", method.name + "_");
      std::vector<double> ep, acc;
      for (const auto& e : r.history.epochs) ep.push_back(e.epoch), acc.push_back(e.val_accuracy);
      val_acc.linespoints(method.name, ep, acc);
      m[method.name + "_best_val_accuracy"] = r.best_val_accuracy;
      m[method.name + "_best_epoch"] = r.best_epoch;
      m[method.name + "_final_val_accuracy"] = last.val_accuracy;
      m[method.name + "_final_train_accuracy"] = last.train_accuracy;
      m[method.name + "_final_val_loss"] = last.val_loss;
      m[method.name + "_test_accuracy"] = r.test_accuracy;
      m[method.name + "_near_zero_weights"] = fraction_near_zero(r.net.params(), 1e-3);
    }
    val_acc.key("bottom right").save(opt.out / "validation_accuracy.svg");
    m["early_stopping_stopped_epoch"] = results[4].stopped_epoch;
    ch08::plot_weight_histograms(opt.out / "weight_histograms.svg",
                                 {{"plain", &results[0].net}, {"L2", &results[1].net}, {"L1", &results[2].net}});

    // ---- Did a regularizer beat the plain model?
    double best_other = 0;
    for (std::size_t i = 1; i < 4; ++i) best_other = std::max(best_other, results[i].best_val_accuracy);
    m["best_regularized_val_accuracy"] = best_other;
    m["regularizer_beats_plain"] = best_other > results[0].best_val_accuracy;
    fmt::print("best validation accuracy: plain {:.4f}, best regularized {:.4f}\n",
               results[0].best_val_accuracy, best_other);
    m["exercises_match_library"] = exercises_match_library();
    m["epochs"] = opt.epochs;
    m["train_size"] = train.size();
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
