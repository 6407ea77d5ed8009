// Chapter 23: frameworks. The seeds' five Keras programs run as dlcore programs (the MLP,
// LeNet-5, the 32-32-64-64 CNN, the dropout regression MLP, the SimpleRNN classifier); a tape
// that finds the backward pass by itself, checked against the book's hand-written one; and
// model files that PyTorch reads (tools/dlcore_to_torch.py). `--predict FILE.npz` writes the
// Fashion-MNIST test logits of a model saved by chapter 7 or 13, for the same check.
// Text: docs/ch23_frameworks.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>
#include <datasets/synthetic.hpp>
#include <datasets/words.hpp>
#include <xtensor/xadapt.hpp>

#include "exercise.hpp"
#include "keras_programs.hpp"
#include "report.hpp"
#include "tape_check.hpp"

using namespace dl;
using datasets::Split;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  ChapterCli cli("ch23_frameworks", "Chapter 23: the seeds' Keras programs in dlcore, a tape (autograd), PyTorch interop");
  cli.epochs(2, 1).data();
  std::vector<std::string> programs = {"mlp", "lenet5", "cnn", "dropout_mlp", "simple_rnn"};
  std::size_t train_images = 0, cnn_images = 10000, per_language = 6000;
  int regression_epochs = 200, rnn_epochs = 5, cnn_epochs = 1;
  std::string dict = "/usr/share/dict", predict_file;
  auto& app = cli.app();
  app.add_option("--programs", programs, "Programs to run: mlp, lenet5, cnn, dropout_mlp, simple_rnn")->delimiter(',')
      ->check(CLI::IsMember({"mlp", "lenet5", "cnn", "dropout_mlp", "simple_rnn"}))->capture_default_str();
  app.add_option("--train-images", train_images, "Training images for the MLP and LeNet-5 (0: all 55,000; --epochs sets their epochs)")->capture_default_str();
  app.add_option("--cnn-images", cnn_images, "Training images for the 32-32-64-64 CNN (0: all 55,000)")->capture_default_str();
  app.add_option("--cnn-epochs", cnn_epochs, "Epochs of the 32-32-64-64 CNN (the seed: 5)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--regression-epochs", regression_epochs, "Epochs of the dropout regression MLP (the seed: 200)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--rnn-epochs", rnn_epochs, "Epochs of the SimpleRNN classifier (the seed: 10)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--per-language", per_language, "Words per language for the SimpleRNN task")->check(CLI::Range(50, 1000000))->capture_default_str();
  app.add_option("--dict", dict, "Word lists directory (american-english, french, ...)")->capture_default_str();
  app.add_option("--predict", predict_file, "Write the Fashion-MNIST test logits of a model file saved by ch07 or ch13 (FILE.npz) into --out, and exit");

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    set_parallel_threads(opt.threads);
    set_num_threads(1);
    nlohmann::json m;

    // ---- The data: Fashion-MNIST as rows and as images, with a validation split
    const bool any_images = std::any_of(programs.begin(), programs.end(), [](const std::string& p) {
      return p == "mlp" || p == "lenet5" || p == "cnn"; });
    ch23::Images train_img, val_img, test_img;
    if (any_images || !predict_file.empty()) {
      test_img = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::test));
      if (opt.quick) test_img = head(test_img, 1000);
    }
    if (!predict_file.empty()) return ch23::predict_model_file(predict_file, test_img, opt.out);
    if (any_images) {
      auto all = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::train));
      if (opt.quick) all = head(all, 3000);
      std::tie(train_img, val_img) = split(all, opt.quick ? 500 : 5000, rng.permutation(all.size()));
    }
    auto flat = [](const ch23::Images& d) { return ch23::Flat{xt::reshape_view(d.X, {d.size(), std::size_t(784)}), d.y}; };

    // ---- What a framework automates: the tape against the hand-written backward passes
    const ch23::TapeCheck tc = ch23::check_tape_on_ch04_mlp(opt.seed);
    fmt::print("tape vs hand-written backward (ch04 MLP 2-64-64-3, double): max relative error {:.1e}; "
               "tanh node (exercise 23.1) {:.1e}; one step {:.0f} us by hand, {:.0f} us on the tape\n",
               tc.max_rel_error, tc.tanh_rel_error, tc.hand_us, tc.tape_us);
    m.update({{"tape_max_rel_error", tc.max_rel_error}, {"tape_matches", tc.max_rel_error < 1e-12},
              {"exercise_tanh_rel_error", tc.tanh_rel_error}, {"exercise_tanh_matches", tc.tanh_rel_error < 1e-12},
              {"tape_nodes", tc.nodes}, {"hand_step_us", tc.hand_us}, {"tape_step_us", tc.tape_us}});

    // ---- The five programs: train, test, save the model and its test outputs for PyTorch
    const ch23::Budget img{opt.epochs, opt.progress};
    for (const std::string& p : programs) {
      fmt::print("\n==== {}\n", p);
      ch23::Outcome o;
      std::string score = "test_accuracy";
      if (p == "mlp") {
        const auto tr = train_images ? head(train_img, std::min(train_images, train_img.size())) : train_img;
        o = ch23::keras_mlp(flat(tr), flat(val_img), flat(test_img), img, rng);
      } else if (p == "lenet5") {
        o = ch23::keras_lenet5(train_images ? head(train_img, std::min(train_images, train_img.size())) : train_img, val_img, test_img, img, rng);
        m["lenet5_same_as_ch13"] = ch23::same_architecture(o.net, "lenet5");
      } else if (p == "cnn") {
        const std::size_t n = opt.quick ? 500 : cnn_images;  // the CNN is the slow one: a slice
        o = ch23::keras_cnn(n ? head(train_img, std::min(n, train_img.size())) : train_img, val_img, test_img,
                            {opt.quick ? 1 : cnn_epochs, opt.progress}, rng);
        m["cnn_same_as_ch13"] = ch23::same_architecture(o.net, "seed_cnn");
      } else if (p == "dropout_mlp") {
        const std::size_t n = opt.quick ? 400 : 1000;
        const ch23::Points train = ch23::wave_regression(n, rng), val = ch23::wave_regression(n / 4, rng),
                           test = ch23::wave_regression(n / 4, rng);
        o = ch23::keras_dropout_mlp(train, val, test, {opt.quick ? 50 : regression_epochs, opt.progress}, rng);
        save_npy(opt.out / "dropout_mlp_inputs.npy", test.X);
        ch23::plot_regression(opt.out, o, test);
        score = "test_rmse";
      } else {  // simple_rnn: is a word English or French? (IMDB and GloVe are not on this machine)
        const auto words = ch23::english_or_french(dict, opt.quick ? 500 : per_language);
        o = ch23::keras_simple_rnn(words.train, words.val, words.test, words.vocab, {opt.quick ? 3 : rnn_epochs, opt.progress}, rng);
        save_npy(opt.out / "simple_rnn_inputs.npy", words.test.X);
        save_npy(opt.out / "simple_rnn_lengths.npy", xt::xtensor<std::int64_t, 1>(xt::adapt(words.test.lengths)));
      }
      ch23::report(opt.out, p, o, score, m);
    }

    m.update({{"epochs", opt.epochs}, {"seconds", clock.seconds()}});
    write_json(opt.out / "metrics.json", m);
    fmt::print("\nwrote {}\n", (opt.out / "metrics.json").string());
  });
}
