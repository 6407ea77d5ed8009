// Chapter 13: the seeds' two convolutional networks on Fashion-MNIST, made real.
// LeNet-5 (Conv 6 5x5, pool, Conv 16 5x5, pool, Dense 120, 84, 10; Adam 1e-3, batch 128,
// 10 epochs) and the deeper 32-32-64-64 CNN with dropout (7 epochs), both with a validation
// split; then test accuracy, confusion matrices, learning curves and parameter tables.
// Text: docs/ch13_lenet5.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"

using namespace dl;
using datasets::Split;

namespace {

// What one trained model reports.
struct Result {
  History history;
  double test_accuracy = 0, test_loss = 0;
  std::size_t num_params = 0;
};

// Per-layer parameter counts of a network, into a CSV table (and the terminal).
void write_param_table(const std::filesystem::path& csv, Sequential<float>& net) {
  std::string table = "layer,description,parameters\n";
  for (std::size_t i = 0; i < net.size(); ++i) {
    const std::size_t n = count_params(net.module(i).params());
    table += fmt::format("{},\"{}\",{}\n", i, net.module(i).describe(), n);
  }
  write_file_atomic(csv, table);
}

}  // namespace

int main(int argc, char** argv) {
  ChapterCli cli("ch13_lenet5", "Chapter 13: LeNet-5 and the seed's deeper CNN on Fashion-MNIST");
  cli.epochs(10, 1).data().checkpoints();
  std::size_t batch_size = 128, cnn_batch_size = 128, n_val = 5000;
  int cnn_epochs = 7;
  float lr = 1e-3f;
  bool skip_cnn = false;
  cli.app().add_option("--batch-size", batch_size, "LeNet-5 mini-batch size")->capture_default_str();
  cli.app().add_option("--cnn-epochs", cnn_epochs, "Epochs of the deeper CNN (--quick: 1)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--cnn-batch-size", cnn_batch_size, "Mini-batch size of the deeper CNN")
      ->capture_default_str();
  cli.app().add_option("--lr", lr, "Adam learning rate (both models)")->capture_default_str();
  cli.app().add_option("--val", n_val, "Training images held out for validation")->capture_default_str();
  cli.app().add_flag("--lenet-only", skip_cnn, "Train LeNet-5 only");

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    // Threads: the convolutions split each batch over --threads cores; the dense layers'
    // GEMMs are small and run on one (dlcore/core/parallel.hpp says why).
    set_parallel_threads(opt.threads);
    set_num_threads(1);

    // ---- The data: (N, 1, 28, 28) images in [0, 1], a validation split, the test set
    auto train_all = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::train));
    auto test = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::test));
    const auto classes = datasets::class_names_for(opt.data);
    if (opt.quick) {  // the tests' settings: a slice of the data, one epoch each
      train_all = head(train_all, 2000);
      test = head(test, 1000);
      n_val = 500;
      cnn_epochs = 1;
    }
    auto [train, val] = split(train_all, n_val, rng.permutation(train_all.size()));
    fmt::print("train {} / validation {} / test {} images from {}\n", train.size(), val.size(),
               test.size(), opt.data.string());

    // ---- Training one model: Adam, mini-batches, validation after every epoch; then the
    // test set once, the learning curves, the confusion matrix and the saved model
    // (structured bindings are captured by name: C++17 forbids a plain [&] of them)
    auto run = [&, &train = train, &val = val](const std::string& name, const std::string& title,
                                                Sequential<float>& net, int epochs, std::size_t batch) {
      fmt::print("\n{}\n{}", title, net.summary());
      write_param_table(opt.out / (name + "_params.csv"), net);
      //! [train]
      Adam<float> adam(lr);
      FitOptions fo;
      fo.epochs = epochs;
      fo.batch_size = batch;
      fo.progress = opt.progress;
      fo.checkpoint = {opt.checkpoint_file(name), opt.checkpoint_every, opt.resume};
      Result r;
      r.history = fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo, &val);
      //! [train]
      const Tensor2<float> logits = predict(net, test.X);
      const Labels predicted = argmax_rows(logits);
      SoftmaxCrossEntropy<float>::Cache cache;
      r.test_loss = SoftmaxCrossEntropy<float>{}.forward(logits, test.y, cache);
      const auto C = confusion_matrix(predicted, test.y, classes.size());
      r.test_accuracy = class_report(C).accuracy;
      r.num_params = net.num_params();
      fmt::print("{}: test accuracy {:.4f}, test loss {:.4f}, {:.1f} s per epoch\n", name,
                 r.test_accuracy, r.test_loss, r.history.seconds / double(r.history.epochs.size()));
      plot_history(opt.out, r.history, title, name + "_");
      plot_confusion(opt.out / (name + "_confusion.svg"), C, classes,
                     title + ": confusion matrix (test set)");
      save_model(opt.out / (name + ".npz"), net, {{"chapter", "ch13_lenet5"}, {"model", name},
                                                  {"seed", opt.seed}});
      return r;
    };

    nlohmann::json m;
    auto report = [&](const std::string& name, const Result& r) {
      m[name + "_test_accuracy"] = r.test_accuracy;
      m[name + "_test_loss"] = r.test_loss;
      m[name + "_val_accuracy"] = r.history.epochs.back().val_accuracy;
      m[name + "_train_accuracy"] = r.history.epochs.back().train_accuracy;
      m[name + "_epochs"] = r.history.epochs.size();
      m[name + "_num_params"] = r.num_params;
      m[name + "_seconds_per_epoch"] = r.history.seconds / double(r.history.epochs.size());
    };

    // ---- LeNet-5, as the seed writes it
    //! [lenet5]
    Sequential<float> lenet = lenet5<float>(rng);
    const Result le = run("lenet5", "LeNet-5", lenet, opt.epochs, batch_size);
    //! [lenet5]
    report("lenet5", le);
    // Exercise 13.1 counts the same parameters by formula.
    const std::size_t counted = ch13::conv_params(1, 6, 5) + ch13::conv_params(6, 16, 5) +
                                ch13::dense_params(256, 120) + ch13::dense_params(120, 84) +
                                ch13::dense_params(84, 10);
    m["exercise_lenet5_params_match"] = counted == le.num_params;

    // ---- The seed's deeper CNN: two 3x3 stacks, dropout, Dense 512
    if (!skip_cnn) {
      //! [seed_cnn]
      Sequential<float> cnn = seed_cnn<float>(rng);
      const Result deep = run("seed_cnn", "Seed CNN (32-32-64-64)", cnn, cnn_epochs, cnn_batch_size);
      //! [seed_cnn]
      report("seed_cnn", deep);
    }

    m["test_accuracy"] = m.value("seed_cnn_test_accuracy", le.test_accuracy);
    m["epochs"] = opt.epochs;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
    fmt::print("LeNet-5 test accuracy {:.4f}", le.test_accuracy);
    if (!skip_cnn) fmt::print(", seed CNN test accuracy {:.4f}", m["seed_cnn_test_accuracy"].get<double>());
    fmt::print("\n");
  });
}
