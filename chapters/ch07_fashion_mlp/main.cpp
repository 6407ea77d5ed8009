// Chapter 7: the seeds' Keras MLP on Fashion-MNIST, made real.
// 784 -> Dense 512 ReLU -> Dense 10 softmax, Adam (lr 1e-3), batch 128, 10 epochs, with a
// validation split; then test accuracy, per-class precision/recall/F1 and a confusion matrix.
// Text: docs/ch07_fashion_mlp.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"

using namespace dl;
using datasets::Split;

int main(int argc, char** argv) {
  ChapterCli cli("ch07_fashion_mlp", "Chapter 7: a 784-512-10 MLP on Fashion-MNIST");
  cli.epochs(10, 1).data().checkpoints();
  std::size_t batch_size = 128, hidden = 512, n_val = 5000;
  float lr = 1e-3f;
  cli.app().add_option("--batch-size", batch_size, "Mini-batch size")->capture_default_str();
  cli.app().add_option("--hidden", hidden, "Width of the hidden layer")->capture_default_str();
  cli.app().add_option("--lr", lr, "Adam learning rate")->capture_default_str();
  cli.app().add_option("--val", n_val, "Training images held out for validation")->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);

    // ---- The data: 60,000 training images (minus a validation split), 10,000 test images
    auto train_all = datasets::to_flat<float>(datasets::load_idx_split(opt.data, Split::train));
    auto test = datasets::to_flat<float>(datasets::load_idx_split(opt.data, Split::test));
    const auto classes = datasets::class_names_for(opt.data);
    if (opt.quick) {  // the tests' settings: a slice of the data
      train_all = head(train_all, 6000);
      test = head(test, 2000);
      n_val = 1000;
    }
    if (n_val == 0 || n_val >= train_all.size())  // both sets need images
      throw ValueError(fmt::format("--val {} must be at least 1 and less than the {} training images",
                                   n_val, train_all.size()));
    //! [split]
    auto [train, val] = split(train_all, n_val, rng.permutation(train_all.size()));
    //! [split]
    fmt::print("train {} / validation {} / test {} images from {}\n", train.size(), val.size(),
               test.size(), opt.data.string());

    // ---- The model: Dense(512, relu) -> Dense(10), softmax folded into the loss
    //! [model]
    Sequential<float> net;
    net.add(Linear<float>(784, hidden, rng)).add(ReLU<float>{}).add(Linear<float>(hidden, 10, rng));
    //! [model]
    fmt::print("{}", net.summary());

    // ---- Training: Adam, mini-batches of 128, validation after every epoch
    //! [train]
    Adam<float> opt_adam(lr);
    FitOptions fo;
    fo.epochs = opt.epochs;
    fo.batch_size = batch_size;
    fo.checkpoint = {opt.checkpoint_file("mlp"), opt.checkpoint_every, opt.resume};
    const History history =
        fit(net, SoftmaxCrossEntropy<float>{}, opt_adam, train.X, train.y, rng, fo, &val);
    //! [train]

    // ---- Evaluation on the test set, once
    //! [evaluate]
    const Tensor2<float> logits = predict(net, test.X);
    const Labels predicted = argmax_rows(logits);
    const auto C = confusion_matrix(predicted, test.y, classes.size());
    const ClassReport report = class_report(C);
    //! [evaluate]
    const ch07::Scores mine = ch07::per_class_scores(C);  // exercise 7.1, same numbers
    SoftmaxCrossEntropy<float>::Cache cache;
    const double test_loss = SoftmaxCrossEntropy<float>{}.forward(logits, test.y, cache);
    for (std::size_t k = 0; k < classes.size(); ++k)
      fmt::print("  {:<12} precision {:.3f} recall {:.3f} F1 {:.3f}\n", classes[k],
                 report.precision[k], report.recall[k], report.f1[k]);
    fmt::print("test accuracy {:.4f}, test loss {:.4f}, macro F1 {:.4f}\n", report.accuracy,
               test_loss, report.macro_f1);

    // ---- Plots and metrics
    plot_history(opt.out, history, "784-512-10 MLP");
    plot_confusion(opt.out / "confusion.svg", C, classes, "Confusion matrix (test set)");
    plot_misclassified(opt.out / "misclassified.svg", test.X, test.y, predicted, classes);
    save_model(opt.out / "model.npz", net, {{"chapter", "ch07_fashion_mlp"}, {"seed", opt.seed}});

    nlohmann::json m = class_report_json(report, classes);
    m["test_accuracy"] = report.accuracy;
    m["test_loss"] = test_loss;
    m["val_accuracy"] = history.epochs.back().val_accuracy;
    m["train_accuracy"] = history.epochs.back().train_accuracy;
    m["exercise_macro_f1_matches"] =
        mine.f1.size() == report.f1.size() &&
        std::equal(mine.f1.begin(), mine.f1.end(), report.f1.begin(),
                   [](double a, double b) { return std::abs(a - b) < 1e-12; });
    m["epochs"] = opt.epochs;
    m["num_params"] = net.num_params();
    m["train_seconds"] = history.seconds;
    m["seconds_per_epoch"] = history.seconds / double(history.epochs.size());
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {}\n", (opt.out / "metrics.json").string());
  });
}
