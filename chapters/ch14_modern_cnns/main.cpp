// Chapter 14: modern CNNs, scaled down to Fashion-MNIST. The cost of a depthwise-separable
// convolution against a standard one (counted and timed); the degradation of deep plain
// networks against residual ones, measured at two depths; AlexNet-, VGG-, ResNet- and
// MobileNet-style networks compared with one short recipe; the winner trained longer; and
// the articles' named networks at full size (VGG-16, ResNet-50, AlexNet): counted and timed.
// Text: docs/ch14_modern_cnns.md
#include <dlcore/dlcore.hpp>
#include <dlcore/train/layer_stats.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"
#include "models.hpp"
#include "named.hpp"
#include "report.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch14_modern_cnns", "Chapter 14: AlexNet, VGG, ResNet and depthwise-separable ideas");
  cli.epochs(3, 1).data();
  std::size_t width = 16, batch_size = 64, n_val = 5000, deg_size = 8000, deg_width = 16, n_train = 10000;
  int deg_epochs = 2, final_epochs = 6;
  std::vector<std::size_t> depths = {2, 8};
  std::vector<std::string> models = {"alexnet", "vgg", "resnet", "separable"};
  std::string final_model = "resnet", final_augment = "flip", named = "time";
  std::size_t named_batch = 2;
  double lr = 2e-3, final_lr = 3e-3;
  cli.app().add_option("--width", width, "Channels of the first stage")->capture_default_str()->check(CLI::Range(2, 256));
  cli.app().add_option("--batch-size", batch_size, "Mini-batch size")->capture_default_str()->check(CLI::Range(2, 4096));
  cli.app().add_option("--lr", lr, "Adam's peak learning rate (cosine decay over the epochs)")->capture_default_str();
  cli.app().add_option("--models", models, "Which of alexnet, vgg, resnet, separable to train")->capture_default_str()
      ->check(CLI::IsMember({"alexnet", "vgg", "resnet", "separable"}));
  cli.app().add_option("--train-size", n_train, "Training images for the comparison of the networks (0: all 55,000)")->capture_default_str();
  cli.app().add_option("--final-model", final_model, "Network trained on all images after the comparison (best: the comparison's winner by validation accuracy)")
      ->capture_default_str()->check(CLI::IsMember({"alexnet", "vgg", "resnet", "separable", "best"}));
  cli.app().add_option("--final-epochs", final_epochs, "Epochs of that network on all training images (0: no final run)")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  cli.app().add_option("--final-lr", final_lr, "Adam's peak learning rate for the final run")->capture_default_str();
  cli.app().add_option("--final-augment", final_augment, "Augmentation of the final run: flip (random mirror images) or none")
      ->capture_default_str()->check(CLI::IsMember({"flip", "none"}));
  cli.app().add_option("--named", named, "VGG-16, ResNet-50, AlexNet at 224x224: time (count and time a step), count, none; --quick: count")
      ->capture_default_str()->check(CLI::IsMember({"time", "count", "none"}));
  cli.app().add_option("--named-batch", named_batch, "Images in the timed step of the named networks")
      ->capture_default_str()->check(CLI::Range(1, 64));
  cli.app().add_option("--deg-size", deg_size, "Training images for the degradation experiment")->capture_default_str()->check(CLI::Range(100, 55000));
  cli.app().add_option("--deg-epochs", deg_epochs, "Epochs of the degradation experiment")->capture_default_str()->check(CLI::Range(1, 100));
  cli.app().add_option("--depths", depths, "Blocks of the shallow and the deep network")->capture_default_str()->expected(2);

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;

    // ---- The data: (N, 1, 28, 28) images, a validation split, the test set
    auto train_all = datasets::to_images<float>(datasets::load_idx_split(opt.data, datasets::Split::train));
    auto test = datasets::to_images<float>(datasets::load_idx_split(opt.data, datasets::Split::test));
    if (opt.quick) train_all = head(train_all, 2000), test = head(test, 500), n_val = 500, deg_size = 600, final_epochs = std::min(final_epochs, 1);
    if (opt.quick && named == "time") named = "count";
    auto [train, val] = split(train_all, n_val, rng.permutation(train_all.size()));
    const auto compare = n_train > 0 ? head(train, std::min(n_train, train.size())) : train;
    fmt::print("train {} (comparison {}) / validation {} / test {} images\n", train.size(), compare.size(),
               val.size(), test.size());

    // ---- Depthwise-separable convolution: parameters and multiply-adds, counted and timed
    ch14::cost_table(opt.out / "separable_cost.csv", m);
    m["separable_time_ratio"] = ch14::time_separable(2 * width, 4 * width, 14, opt.quick ? 16 : 128, rng);
    fmt::print("a {} -> {} 3x3 layer on 14x14: separable forward+backward {:.1f}x faster than standard\n",
               2 * width, 4 * width, m["separable_time_ratio"].get<double>());
    const ch14::Cost mine = ch14::separable_cost(32, 64, 3, 14, 14);  // exercise 14.2
    const ch14::ConvCost ref = ch14::conv_cost(32, 64, 3, 14 * 14);
    m["exercise_cost_matches"] = mine.params == ref.params_separable && mine.madds == ref.madds_separable;
    m["exercise_depthwise_matches"] = ch14::check_depthwise_exercise(rng);

    // ---- Degradation: plain vs residual networks at two depths, on a subset
    const auto deg = head(train, deg_size);
    std::vector<ch14::Run> deg_runs;
    for (std::size_t blocks : depths)
      for (bool residual : {false, true}) {
        //! [degradation]
        Rng init(opt.seed);  // plain and residual nets of one depth start from the same weights
        Sequential<float> net = ch14::stacked(init, deg_width, blocks, residual);
        ch14::Run r = ch14::train(net, fmt::format("{}_{}", residual ? "residual" : "plain", 2 * blocks + 2),
                                  deg, val, test, rng, deg_epochs, batch_size, lr, opt.progress);
        r.final_train_loss = evaluate(net, SoftmaxCrossEntropy<float>{}, deg.X, deg.y).loss;  // after training
        //! [degradation]
        fmt::print("   {} layers, {}: training loss {:.4f}, test accuracy {:.4f}\n", 2 * blocks + 2,
                   residual ? "residual" : "plain", r.final_train_loss, r.test_accuracy);
        deg_runs.push_back(std::move(r));
      }
    ch14::plot_runs(opt.out / "degradation.svg", "Plain vs residual: training loss", deg_runs, deg_epochs);
    for (const auto& r : deg_runs) {
      m[r.key + "_train_loss"] = r.final_train_loss;
      m[r.key + "_test_accuracy"] = r.test_accuracy;
    }

    // ---- The four scaled-down networks, one short recipe: Adam, cosine decay, batch 64
    auto build = [&](const std::string& name) {
      Rng init(opt.seed);
      //! [models]
      return name == "alexnet"  ? ch14::alexnet_style(init, width)
             : name == "vgg"    ? ch14::vgg_style(init, width)
             : name == "resnet" ? ch14::resnet_style(init, width)
                                : ch14::separable_style(init, width);
      //! [models]
    };
    std::vector<ch14::Run> runs;
    for (const std::string& name : models) {
      Sequential<float> net = build(name);
      ch14::Run r = ch14::train(net, name, compare, val, test, rng, opt.epochs, batch_size, lr, opt.progress);
      fmt::print("   {}: {} parameters, validation accuracy {:.4f}, test accuracy {:.4f}, {:.0f} s\n", name,
                 r.num_params, r.history.epochs.back().val_accuracy, r.test_accuracy, r.seconds);
      runs.push_back(std::move(r));
    }
    if (!runs.empty()) {
      ch14::plot_runs(opt.out / "loss.svg", "Scaled-down modern CNNs: training loss", runs, opt.epochs);
      ch14::write_model_table(opt.out / "models.csv", runs, m);
    }

    // ---- One network (the ResNet-style one by default) from scratch on every training
    //      image, for longer: what the chapter's best network reaches within the budget
    if (final_epochs > 0 && !(final_model == "best" && runs.empty())) {
      //! [final]
      const std::string name = final_model == "best" ? m["compare_winner"].get<std::string>() : final_model;
      Sequential<float> net = build(name);
      Augment mirror = final_augment == "flip" ? random_flip(0.5) : Augment{};  // half the images mirrored
      ch14::Run r = ch14::train(net, name + "_final", train, val, test, rng, final_epochs, batch_size, final_lr,
                                opt.progress, mirror);
      const double flip_avg = ch14::flip_averaged_accuracy(net, test);  // test-time mirror images too
      //! [final]
      fmt::print("   {} on {} images for {} epochs: test accuracy {:.4f} ({:.4f} averaged with mirror images), {:.0f} s\n",
                 name, train.size(), final_epochs, r.test_accuracy, flip_avg, r.seconds);
      ch14::plot_runs(opt.out / "final.svg", name + " on all training images: training loss", {r}, final_epochs);
      m["final_model"] = name;
      m["final_test_accuracy"] = r.test_accuracy;
      m["final_val_accuracy"] = r.history.epochs.back().val_accuracy;
      m["final_seconds"] = r.seconds;
      m["final_augment"] = final_augment;
      m["final_lr"] = final_lr;
      m["final_test_accuracy_flip_avg"] = flip_avg;
      if (!m.contains("best_test_accuracy") || r.test_accuracy > m["best_test_accuracy"].get<double>()) {
        m["best_test_accuracy"] = r.test_accuracy;  // the chapter's best network, as trained here
        m["best_model"] = r.key;
      }
    }

    // ---- The named networks at full size: parameters, multiply-adds, one step timed
    if (named != "none") {
      fmt::print("== the named networks for 224x224x3 images{}\n", named == "time" ? ", one training step timed" : "");
      const std::size_t b = named == "time" ? named_batch : 0;
      Rng init(opt.seed);
      //! [named]
      std::vector<ch14::Named> nets;
      nets.push_back(ch14::measure("vgg16", 74, vgg16<float>(init), b, init));      // epochs of the
      nets.push_back(ch14::measure("resnet50", 90, resnet50<float>(init), b, init));  // published runs
      nets.push_back(ch14::measure("alexnet", 90, alexnet<float>(init), b, init));
      //! [named]
      ch14::report_named(opt.out / "named_networks.csv", nets, m);
    }

    m["epochs"] = opt.epochs;
    m["deg_epochs"] = deg_epochs;
    m["final_epochs"] = final_epochs;
    m["compare_size"] = compare.size();
    m["width"] = width;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    if (m.contains("best_model"))
      fmt::print("best: {} with test accuracy {:.4f}; {:.0f} s in all\n", m["best_model"].get<std::string>(),
                 m["best_test_accuracy"].get<double>(), clock.seconds());
  });
}
