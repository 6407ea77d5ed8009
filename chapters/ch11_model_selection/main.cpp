// Chapter 11: model selection. Train / validation / test; a grid search over the learning
// rate and the hidden width of an MLP on Fashion-MNIST, and a random search over those two
// and the depth and the L2 strength, each trial scored on the validation set; the chosen
// model's test figures reported once; what looking at a score too often costs.
// Text: docs/ch11_model_selection.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"
#include "search.hpp"

using namespace dl;
using namespace ch11;

int main(int argc, char** argv) {
  ChapterCli cli("ch11_model_selection",
                 "Chapter 11: grid and random search over learning rate, width, depth and L2");
  cli.epochs(4, 2).data().checkpoints();
  std::size_t n_train = 20000, n_val = 5000, n_random = 20;
  cli.app().add_option("--train-size", n_train, "Training images per trial")
      ->capture_default_str()->check(CLI::Range(100, 55000));
  cli.app().add_option("--val-size", n_val, "Validation images (held out of the training file)")
      ->capture_default_str()->check(CLI::Range(100, 5000));
  cli.app().add_option("--trials", n_random, "Trials of the random search")
      ->capture_default_str()->check(CLI::Range(1, 1000));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    std::vector<double> lrs = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    std::vector<std::size_t> widths = {16, 64, 256, 1024};
    if (opt.quick) {  // the tests' settings
      n_train = std::min<std::size_t>(n_train, 2000), n_val = std::min<std::size_t>(n_val, 500);
      n_random = std::min<std::size_t>(n_random, 4);
      lrs = {1e-3, 1e-2}, widths = {16, 64};
    }

    // ---- Three sets: train (fit the weights), validation (choose), test (report, once)
    //! [split]
    const auto train_file = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::train));
    const auto test = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::test));
    const auto order = rng.permutation(train_file.size());
    auto [rest, val] = split(train_file, n_val, order);  // validation: n_val held-out images
    const Data train = head(rest, n_train);
    //! [split]
    const auto classes = datasets::class_names_for(opt.data);
    fmt::print("train {} / validation {} / test {} images\n", train.size(), val.size(), test.size());

    // ---- The searches: every trial trains from its own seed and is scored on validation
    //! [search]
    std::vector<Trial> grid = grid_trials(lrs, widths);
    std::vector<Trial> random = random_trials(n_random, Space{}, rng);  // lr, width, depth, L2
    //! [search]
    std::optional<Trained> best;
    Trial chosen;
    Progress bar(grid.size() + random.size(), "trials", opt.progress);
    std::size_t done = 0;
    for (auto* trials : {&grid, &random})
      for (Trial& t : *trials) {
        Trained trained = run_trial(t, train, val, opt.epochs, opt);
        fmt::print("{:>6} {:2}: lr {:.2e} width {:4} depth {} L2 {:.1e}  val acc {:.4f}  ({:.1f} s)\n", t.search,
                   t.id, t.lr, t.width, t.depth, t.l2, t.val_accuracy, t.seconds);
        if (!best || t.val_accuracy > chosen.val_accuracy) best = std::move(trained), chosen = t;
        bar.update(++done);
      }
    bar.finish();
    const Trial& grid_best = grid[best_by_validation(grid)];
    const Trial& random_best = random[best_by_validation(random)];
    fmt::print("best of grid: lr {:.2e} width {} val acc {:.4f}; best of random: lr {:.2e} width "
               "{} val acc {:.4f}\n", grid_best.lr, grid_best.width, grid_best.val_accuracy,
               random_best.lr, random_best.width, random_best.val_accuracy);

    // ---- The test set, once: the chosen model's accuracy, precision, recall, F1
    //! [test_once]
    const Tensor2<float> logits = predict(best->net, test.X);
    const auto C = confusion_matrix(argmax_rows(logits), test.y, classes.size());
    const ClassReport report = class_report(C);
    //! [test_once]
    SoftmaxCrossEntropy<float>::Cache cache;
    const double test_loss = SoftmaxCrossEntropy<float>{}.forward(logits, test.y, cache);
    fmt::print("chosen: {} trial {} (lr {:.2e}, width {}, depth {}, L2 {:.1e}): validation {:.4f}, test {:.4f}, "
               "macro F1 {:.4f}\n", chosen.search, chosen.id, chosen.lr, chosen.width, chosen.depth, chosen.l2,
               chosen.val_accuracy, report.accuracy, report.macro_f1);

    // ---- The cost of looking: the best of M random guessers on validation, then on test
    //! [noise]
    Rng noise(opt.seed + 1);
    double noise_best_val = -1, noise_test = 0;
    for (std::size_t m = 0; m < grid.size() + random.size(); ++m) {
      Labels guess_val = Labels::from_shape({val.size()}), guess_test = Labels::from_shape({test.size()});
      for (auto& g : guess_val) g = std::int32_t(noise.below(10));
      for (auto& g : guess_test) g = std::int32_t(noise.below(10));
      const double a = accuracy(guess_val, val.y);
      if (a > noise_best_val) noise_best_val = a, noise_test = accuracy(guess_test, test.y);
    }
    //! [noise]
    fmt::print("{} random guessers: the best scores {:.4f} on validation and {:.4f} on test\n",
               grid.size() + random.size(), noise_best_val, noise_test);

    // ---- Plots and metrics
    plot_grid(opt.out, grid, lrs, widths);
    plot_random(opt.out, random, chosen);
    plot_random_depth_l2(opt.out, random, chosen);
    plot_history(opt.out, best->history, fmt::format("chosen: lr {:.1e}, width {}", chosen.lr, chosen.width), "chosen_");
    plot_confusion(opt.out / "confusion.svg", C, classes, "Chosen model, test set");
    std::vector<double> t_lr, t_width, t_depth, t_l2, t_val, t_train, t_secs, t_random;
    for (auto* trials : {&grid, &random})
      for (const Trial& t : *trials) {
        t_lr.push_back(t.lr), t_width.push_back(double(t.width)), t_val.push_back(t.val_accuracy);
        t_depth.push_back(double(t.depth)), t_l2.push_back(t.l2);
        t_train.push_back(t.train_accuracy), t_secs.push_back(t.seconds);
        t_random.push_back(t.search == "random");
      }
    write_csv(opt.out / "trials.csv", {"random", "lr", "width", "depth", "l2", "val_accuracy", "train_accuracy", "seconds"},
              {t_random, t_lr, t_width, t_depth, t_l2, t_val, t_train, t_secs});

    Rng a(opt.seed + 2), b(opt.seed + 2);  // exercise 11.1 against dlcore's draw
    nlohmann::json m = class_report_json(report, classes);
    m["test_accuracy"] = report.accuracy;
    m["test_loss"] = test_loss;
    m["grid_best_val_accuracy"] = grid_best.val_accuracy;
    m["random_best_val_accuracy"] = random_best.val_accuracy;
    m["chosen_search"] = chosen.search;
    m["chosen_lr"] = chosen.lr;
    m["chosen_width"] = chosen.width;
    m["chosen_depth"] = chosen.depth;
    m["chosen_l2"] = chosen.l2;
    m["chosen_val_accuracy"] = chosen.val_accuracy;
    m["selection_optimism"] = chosen.val_accuracy - report.accuracy;
    m["noise_best_val_accuracy"] = noise_best_val;
    m["noise_chosen_test_accuracy"] = noise_test;
    m["trials"] = grid.size() + random.size();
    m["grid_trials"] = grid.size();
    m["random_trials"] = random.size();
    m["epochs_per_trial"] = opt.epochs;
    m["train_size"] = train.size();
    m["val_size"] = val.size();
    m["exercise_log_uniform_matches"] = ch11::log_uniform(a, 1e-4, 3e-2) == dl::log_uniform(b, 1e-4, 3e-2);
    m["search_seconds"] = std::accumulate(t_secs.begin(), t_secs.end(), 0.0);
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
