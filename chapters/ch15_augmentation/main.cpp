// Chapter 15: data augmentation. A small CNN trained on 1,000 Fashion-MNIST images, once on
// the images as they are and once on randomly flipped and shifted copies drawn afresh for
// every mini-batch, once with upside-down flips added, and once with rotations and scalings
// added (--ablation: each transform alone).
// Validation accuracy per epoch; test accuracy at the best validation epoch.
// Text: docs/ch15_augmentation.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include <map>
#include <tuple>

#include "exercise.hpp"
#include "samples.hpp"

using namespace dl;
using datasets::Split;

// What one training run gives.
struct Arm {
  History history;
  double best_val_accuracy = 0, test_accuracy = 0;
  int best_epoch = 0;
};

int main(int argc, char** argv) {
  ChapterCli cli("ch15_augmentation", "Chapter 15: data augmentation on a small training set");
  cli.epochs(60, 3).data();
  std::size_t train_size = 1000, n_val = 1000, batch_size = 64;
  int max_shift = 1;
  bool ablation = false;
  double max_degrees = 10, max_scale = 0.1;
  float lr = 1e-3f;
  cli.app().add_option("--train-size", train_size, "Training images")->capture_default_str()->check(CLI::Range(10, 50000));
  cli.app().add_option("--val", n_val, "Held-out validation images")->capture_default_str()->check(CLI::Range(100, 10000));
  cli.app().add_option("--batch-size", batch_size, "Mini-batch size")->capture_default_str()->check(CLI::Range(1, 4096));
  cli.app().add_option("--lr", lr, "Adam learning rate")->capture_default_str();
  cli.app().add_flag("--ablation", ablation, "Also train with each transform alone (five more runs)");
  cli.app().add_option("--max-shift", max_shift, "Largest shift in pixels")->capture_default_str()->check(CLI::Range(0, 14));
  cli.app().add_option("--max-degrees", max_degrees, "Largest rotation in degrees")->capture_default_str()->check(CLI::Range(0.0, 180.0));
  cli.app().add_option("--max-scale", max_scale, "Largest relative change of size")->capture_default_str()->check(CLI::Range(0.0, 0.9));

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    set_parallel_threads(opt.threads);  // convolutions split each batch over the cores;
    set_num_threads(1);                 // the small dense GEMMs stay on one (core/parallel.hpp)

    // ---- The data: a small training set, a validation set, the test set
    auto train_all = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::train));
    auto test = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::test));
    if (opt.quick) {
      train_size = std::min<std::size_t>(train_size, 500);
      n_val = 500;
      test = head(test, 1000);
    }
    if (train_size + n_val > train_all.size())
      throw ValueError(fmt::format("--train-size {} plus --val {} exceed the {} training images",
                                   train_size, n_val, train_all.size()));
    auto [rest, val] = split(train_all, n_val, rng.permutation(train_all.size()));
    const auto train = head(rest, train_size);
    fmt::print("train {} / validation {} / test {} images\n", train.size(), val.size(), test.size());
    if (datasets::class_names_for(opt.data).front() == "0")
      fmt::print("note: these look like digits, and a mirrored digit is not the same digit: the flip "
                 "is label-preserving for clothes only\n");

    // ---- The transforms: flip, shift, rotate, scale, each drawn afresh for every image
    //! [augment]
    const Augment flip = random_flip(0.5), shifts = random_shift(max_shift);
    const Augment vflip = random_vflip(0.5);  // upside down: the seeds' 垂直翻转
    const Augment rotation = random_rotation(max_degrees);
    const Augment scaling = random_scale(1 - max_scale, 1 + max_scale);
    const Augment augmented = compose({flip, shifts});  // the chapter's recipe: exact transforms
    const Augment all = compose({flip, shifts, rotation, scaling});
    const Augment vertical = compose({flip, shifts, vflip});  // the recipe plus upside-down flips
    //! [augment]
    Rng sample_rng(opt.seed);
    ch15::plot_augmented_samples(opt.out / "samples.svg", test.X, {0, 1, 2, 8, 9, 11},
                                 max_shift, max_degrees, max_scale, all, sample_rng);

    // ---- Training with and without augmentation: same initial weights, same recipe
    auto run = [&, &val = val](const std::string& name, const Augment& aug) {  // C++17 captures bindings so
      Rng init(opt.seed), order(opt.seed + 1);
      Sequential<float> net = small_cnn<float>(init);
      Adam<float> adam(lr);
      EarlyStopping<float> best(net, Monitor::val_accuracy, opt.epochs);  // never stops: keeps the best
      FitOptions fo;
      fo.epochs = opt.epochs;
      fo.batch_size = batch_size;
      fo.progress = opt.progress;
      fo.on_epoch_end = best.hook();
      //! [fit_augment]
      fo.augment = aug;  // applied to every training batch, never to validation or test
      //! [fit_augment]
      Arm a;
      a.history = fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, order, fo, &val);
      best.restore_best();
      a.best_val_accuracy = best.best_value();
      a.best_epoch = best.best_epoch();
      a.test_accuracy = evaluate(net, SoftmaxCrossEntropy<float>{}, test.X, test.y).accuracy;
      fmt::print("{:<10} best validation accuracy {:.4f} (epoch {:>2}), test accuracy {:.4f}, {:.0f} s\n",
                 name, a.best_val_accuracy, a.best_epoch, a.test_accuracy, a.history.seconds);
      return a;
    };
    std::vector<std::pair<std::string, Augment>> settings = {{"plain", nullptr}, {"augmented", augmented}};
    if (!opt.quick) settings.insert(settings.end(), {{"vertical", vertical}, {"all", all}});
    if (ablation)  // each transform alone
      settings.insert(settings.end(), {{"flip", flip}, {"vflip", vflip}, {"shift", shifts}, {"rotation", rotation},
                                       {"scale", scaling}});
    std::map<std::string, Arm> arms;
    for (const auto& [name, aug] : settings) arms[name] = run(name, aug);
    const Arm& plain = arms["plain"];
    const Arm& aug = arms["augmented"];

    // ---- Curves
    auto column = [](const History& h, double EpochRecord::*field) {
      std::vector<double> v;
      for (const auto& r : h.epochs) v.push_back(r.*field);
      return v;
    };
    std::vector<double> epochs;
    for (const auto& r : plain.history.epochs) epochs.push_back(r.epoch);
    const std::string title = fmt::format("Small CNN on {} images", train.size());
    plot::Figure acc(title, "epoch", "accuracy"), loss(title, "epoch", "cross-entropy loss");
    for (const auto& [name, a, colour] : {std::tuple<const char*, const Arm&, const char*>{"plain", plain, "#1f77b4"},
                                          {"flip + shift", aug, "#d62728"}}) {
      const std::string lc = fmt::format("lc rgb '{}'", colour);
      acc.linespoints(std::string(name) + ", validation", epochs, column(a.history, &EpochRecord::val_accuracy), "lw 2 " + lc)
          .linespoints(std::string(name) + ", training", epochs, column(a.history, &EpochRecord::train_accuracy), "dt 2 " + lc);
      loss.linespoints(std::string(name) + ", validation", epochs, column(a.history, &EpochRecord::val_loss), "lw 2 " + lc)
          .linespoints(std::string(name) + ", training", epochs, column(a.history, &EpochRecord::train_loss), "dt 2 " + lc);
    }
    acc.key("bottom right").save(opt.out / "accuracy.svg");
    loss.log_y().key("bottom left").save(opt.out / "loss.svg");
    plot::Figure per_arm(title + ": every run", "epoch", "validation accuracy");
    for (const auto& [name, a] : arms)
      per_arm.line(name == "augmented" ? "flip + shift" : name == "vertical" ? "flip + shift + upside down" : name,
                   epochs, column(a.history, &EpochRecord::val_accuracy), "lw 2");
    per_arm.key("bottom right").save(opt.out / "transforms.svg");

    // ---- The exercises reproduce the library's shift and bilinear sampling
    const Tensor4<float> one = slice_rows(test.X, 0, 1);
    Tensor4<float> shifted = one;
    shift(shifted, 2, -3);
    const Tensor2<float> image = xt::view(one, 0, 0, xt::all(), xt::all());
    const bool shift_ok = ch15::shift_image(image, 2, -3) == xt::view(shifted, 0, 0, xt::all(), xt::all());
    const bool bilinear_ok = std::abs(ch15::bilinear(image, 13.3, 9.6) - bilinear_at(image.data(), 28, 28, 13.3, 9.6)) < 1e-6f;

    nlohmann::json m;
    for (const auto& [name, a] : arms) {
      m[name + "_best_val_accuracy"] = a.best_val_accuracy;
      m[name + "_best_epoch"] = a.best_epoch;
      m[name + "_test_accuracy"] = a.test_accuracy;
      m[name + "_final_train_accuracy"] = a.history.epochs.back().train_accuracy;
      m[name + "_seconds"] = a.history.seconds;
    }
    m["test_accuracy_gain"] = aug.test_accuracy - plain.test_accuracy;
    m["train_size"] = train.size();
    m["val_size"] = val.size();
    m["test_size"] = test.size();
    m["epochs"] = opt.epochs;
    m["exercise_shift_matches"] = shift_ok;
    m["exercise_bilinear_matches"] = bilinear_ok;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("test accuracy: plain {:.4f}, augmented (flip + shift) {:.4f}\n", plain.test_accuracy, aug.test_accuracy);
  });
}
