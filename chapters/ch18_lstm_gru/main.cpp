// Chapter 18: LSTM and GRU against the plain RNN. Long-range tasks as T grows (the adding
// problem, the copy task), then Fashion-MNIST read row by row: 28 steps of 28 pixels, hidden
// 128, Adam 1e-3, batch 128, 10 epochs, a 5,000-image validation split.
// Text: docs/ch18_lstm_gru.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"
#include "report.hpp"
#include "tasks.hpp"

using namespace dl;
using datasets::Split;

int main(int argc, char** argv) {
  ChapterCli cli("ch18_lstm_gru", "Chapter 18: LSTM and GRU on long dependencies and on Fashion-MNIST rows");
  cli.epochs(10, 1).data().checkpoints();
  std::string cell_flag = "all";
  std::size_t hidden = 128, batch_size = 128, n_val = 5000;
  float lr = 1e-3f;
  std::vector<std::size_t> adding_T = {25, 50, 100}, copy_T = {10, 25, 50};
  ch18::TaskSettings ts;
  bool skip_tasks = false, skip_fashion = false, raw_pixels = false;
  auto& app = cli.app();
  app.add_option("--cell", cell_flag, "Run one cell only: rnn, lstm or gru (default: all)")
      ->check(CLI::IsMember({"all", "rnn", "lstm", "gru"}))->capture_default_str();
  app.add_option("--hidden", hidden, "Hidden units of the Fashion-MNIST readers")->capture_default_str();
  app.add_option("--batch-size", batch_size, "Fashion-MNIST mini-batch size")->capture_default_str();
  app.add_option("--lr", lr, "Fashion-MNIST Adam learning rate")->capture_default_str();
  app.add_option("--val", n_val, "Training images held out for validation")->capture_default_str();
  app.add_option("--adding-T", adding_T, "Lengths T of the adding problem")->delimiter(',')->capture_default_str();
  app.add_option("--copy-T", copy_T, "Delays T of the copy task")->delimiter(',')->capture_default_str();
  app.add_option("--task-steps", ts.steps, "Training steps per task run")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--task-hidden", ts.hidden, "Hidden units in the task runs")->capture_default_str();
  app.add_option("--task-lr", ts.lr, "Adam learning rate of the task runs")->capture_default_str();
  app.add_option("--copy-symbols", ts.symbols, "Symbols to remember in the copy task")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--forget-bias", ts.forget_bias, "Initial forget-gate bias of the LSTM in the task runs (0: PyTorch's init)")
      ->capture_default_str();
  app.add_flag("--raw-pixels", raw_pixels, "Feed pixels in [0, 1] as they are (default: standardised per input)");
  app.add_flag("--skip-tasks", skip_tasks, "Skip the adding problem and the copy task");
  app.add_flag("--skip-fashion", skip_fashion, "Skip Fashion-MNIST");

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    keep_freed_memory();
    // Threads: every recurrent layer splits its work (the batch's rows in the time loops, the
    // rows of its big products) over --threads cores, each product single-threaded inside.
    set_parallel_threads(opt.threads);
    set_num_threads(1);
    std::vector<CellKind> cells = {CellKind::rnn, CellKind::lstm, CellKind::gru};
    if (cell_flag != "all") cells = {parse_cell(cell_flag)};
    if (opt.quick) {  // the tests' settings
      adding_T = {10};
      copy_T = {5};
      ts.steps = 60;
      ts.eval_every = 20;
      ts.test_batches = 1;
    }
    ts.progress = opt.progress;
    nlohmann::json m;

    // ---- The data first (a bad --data fails at once): Fashion-MNIST as 28 rows of 28 pixels
    Rng rng(opt.seed);
    Dataset<Tensor3<float>> train, val, test;
    if (!skip_fashion) {
      auto train_all = datasets::to_rows<float>(datasets::load_idx_split(opt.data, Split::train));
      test = datasets::to_rows<float>(datasets::load_idx_split(opt.data, Split::test));
      if (opt.quick) {
        train_all = head(train_all, 2000);
        test = head(test, 1000);
        n_val = 500;
      }
      std::tie(train, val) = split(train_all, n_val, rng.permutation(train_all.size()));
      if (!raw_pixels) {  // each of the 28 inputs to mean 0, variance 1 over the training rows
        //! [standardize]
        const auto s = ch18::FeatureScaler::fit(train.X);
        for (auto* d : {&train, &val, &test}) s.apply(d->X);
        //! [standardize]
      }
      fmt::print("train {} / validation {} / test {} images from {}, read as 28 rows of 28 pixels\n",
                 train.size(), val.size(), test.size(), opt.data.string());
    }

    // ---- Long dependencies: the adding problem and the copy task as T grows
    if (!skip_tasks) {
      std::vector<ch18::TaskResult> add_runs, copy_runs;
      for (CellKind c : cells)
        for (std::size_t T : adding_T) add_runs.push_back(ch18::adding(c, T, ts, opt.seed));
      for (CellKind c : cells)
        for (std::size_t T : copy_T) copy_runs.push_back(ch18::copy(c, T, ts, opt.seed));
      ch18::report_tasks(opt.out, add_runs, copy_runs, ts, m);
    }

    // ---- Fashion-MNIST row by row: 28 steps of 28 pixels, the last hidden state classified
    if (!skip_fashion) {
      std::vector<ch18::FashionResult> runs;
      for (CellKind c : cells) {
        if (c == CellKind::rnn && cell_flag == "all") continue;  // the gated cells only, unless asked
        //! [fashion]
        Sequential<float> net = sequence_to_one<float>(c, 28, hidden, 10, rng);
        Adam<float> adam(lr);
        FitOptions fo;
        fo.epochs = opt.epochs;
        fo.batch_size = batch_size;
        fo.progress = opt.progress;
        fo.checkpoint = {opt.checkpoint_file(to_string(c)), opt.checkpoint_every, opt.resume};
        const History h = fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo, &val);
        //! [fashion]
        runs.push_back(ch18::evaluate_fashion(c, net, h, test));
        save_model(opt.out / (to_string(c) + ".npz"), net,
                   {{"chapter", "ch18_lstm_gru"}, {"cell", to_string(c)}, {"seed", opt.seed}});
      }
      ch18::report_fashion(opt.out, runs, m);
    }

    // Exercise 18.1 computes one LSTM step's backward by hand; check it against the layer.
    m["exercise_lstm_step_matches"] = ch18::exercise_matches_layer();
    m["epochs"] = opt.epochs;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} ({:.0f} s)\n", (opt.out / "metrics.json").string(), clock.seconds());
  });
}
