// Chapter 16: transfer learning. A small CNN learns five Fashion-MNIST classes (T-shirt/top
// to Coat) from 28,000 images and is saved; loaded again, its features serve the other
// five classes (Sandal to Ankle boot) with only a few labelled images each: frozen features
// with a new head, fine-tuning of every layer, the same network from scratch, and the source
// articles' recipe (the convolution kernels kept, the dense layers trained anew).
// `--predict FILE` classifies a picture of your own with a saved model.
// Text: docs/ch16_transfer_learning.md
#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

#include "exercise.hpp"
#include "transfer.hpp"

using namespace dl;
using datasets::Split;
namespace fs = std::filesystem;

// ---- Classifying a picture of your own (the seeds' "predict a picture")
//! [predict]
void classify_picture(const fs::path& picture, const fs::path& model, bool invert) {
  Tensor2<float> image = read_gray_image(picture, 28, 28);  // values in [0, 1]
  if (invert) image = 1.0f - image;                        // dark object on a light background
  if (!fs::exists(model))
    throw FileError(model.string() + ": no such model file; run ch16_transfer_learning once "
                    "to train and save one, or pass --model FILE");
  Rng rng(0);
  Sequential<float> net = small_cnn<float>(rng, 5);
  const nlohmann::json info = load_model(model, net);  // checks the architecture
  const auto classes = model_class_names(info, 5, model);      // meta.classes, checked
  Tensor4<float> x = Tensor4<float>::from_shape({1, 1, 28, 28});
  std::copy(image.begin(), image.end(), x.begin());
  const Tensor2<float> p = softmax_rows(predict(net, x));
  std::vector<std::size_t> order{0, 1, 2, 3, 4};
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return p(0, a) > p(0, b); });
  fmt::print("{}: {} (probability {:.3f})\n", picture.string(), classes.at(order[0]), p(0, order[0]));
  for (std::size_t k : order) fmt::print("  {:<12} {:.4f}\n", classes.at(k), p(0, k));
}
//! [predict]

int main(int argc, char** argv) {
  ChapterCli cli("ch16_transfer_learning", "Chapter 16: transfer learning with few labels");
  cli.epochs(3, 1).data();
  std::size_t labels_per_class = 20;
  ch16::Recipe recipe;
  std::string picture, model;
  bool invert = false;
  auto& app = cli.app();
  app.add_option("--labels-per-class", labels_per_class, "Labelled images per new class")->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--steps", recipe.steps, "Training steps on the new classes, every arm")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--head-lr", recipe.head_lr, "Adam learning rate for the new head on frozen features")->capture_default_str();
  app.add_option("--finetune-lr", recipe.finetune_lr, "Adam learning rate for fine-tuning")->capture_default_str();
  app.add_option("--predict", picture, "Classify this 28x28 grey picture (PGM or PNG) with --model and exit");
  app.add_option("--model", model, "Model for --predict (default: OUT/finetuned.npz from a previous run)");
  app.add_flag("--invert", invert, "With --predict: the picture is dark on light; invert it");

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    if (!picture.empty()) return classify_picture(picture, model.empty() ? opt.out / "finetuned.npz" : fs::path(model), invert);
    Stopwatch clock;
    Rng rng(opt.seed);
    set_parallel_threads(opt.threads);  // convolutions split each batch over the cores;
    set_num_threads(1);                 // the small dense GEMMs stay on one (core/parallel.hpp)
    const auto names = datasets::class_names_for(opt.data);  // "0".."9" for the original MNIST
    const std::vector<int> old_classes{0, 1, 2, 3, 4}, new_classes{5, 6, 7, 8, 9};

    // ---- The data: five classes to pretrain on, five new ones with few labels
    auto train_all = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::train));
    auto test_all = datasets::to_images<float>(datasets::load_idx_split(opt.data, Split::test));
    auto [shuffled, none] = split(train_all, 0, rng.permutation(train_all.size()));
    auto source = ch16::select_classes(shuffled, old_classes);
    auto target = ch16::select_classes(shuffled, new_classes);
    auto source_test = ch16::select_classes(test_all, old_classes);
    auto target_test = ch16::select_classes(test_all, new_classes);
    train_all = {}, shuffled = {}, test_all = {};  // only the two tasks' copies are needed now
    std::vector<std::size_t> sweep{5, 10, 20, 50, 100};
    std::size_t n_val = 1000;
    if (opt.quick) {
      source = head(source, 3000), source_test = head(source_test, 500);
      target_test = head(target_test, 1000), n_val = 300;
      recipe.steps = 40, sweep = {5, 20};
    }

    // ---- Pretraining on the old classes, then saving the model
    //! [pretrain]
    auto [source_train, source_val] = split(source, n_val, rng.permutation(source.size()));
    Rng init(opt.seed);
    Sequential<float> pretrained = small_cnn<float>(init, 5);
    Adam<float> adam(1e-3f);
    FitOptions fo;
    fo.epochs = opt.epochs;
    fo.progress = opt.progress;
    fmt::print("pretraining on {} images of {} to {}\n", source_train.size(), names[0], names[4]);
    const History pre = fit(pretrained, SoftmaxCrossEntropy<float>{}, adam, source_train.X, source_train.y, rng, fo, &source_val);
    const double pretrain_acc = evaluate(pretrained, SoftmaxCrossEntropy<float>{}, source_test.X, source_test.y).accuracy;
    const fs::path pretrained_file = opt.out / "pretrained.npz";
    save_model(pretrained_file, pretrained, {{"classes", std::vector<std::string>(names.begin(), names.begin() + 5)}});
    //! [pretrain]
    fmt::print("pretrained: test accuracy {:.4f} on the old classes, saved to {}\n", pretrain_acc, pretrained_file.string());

    // ---- The new classes with k labels each: frozen features, fine-tuning, from scratch
    struct Arms { ch16::ArmResult frozen, finetune, scratch, convs; double nearest_mean = 0; };
    auto run_arms = [&](std::size_t k, bool curves, const fs::path& save_as) {
      auto [few, pool] = ch16::take_per_class(target, k, 5);
      const auto val = head(pool, n_val);
      Arms a;
      //! [frozen]
      Rng body_init(opt.seed);
      Sequential<float> body = small_cnn_body<float>(body_init);
      load_params(pretrained_file, body.params());  // the body's layers from the saved model
      const auto F_few = ch16::features(body, few), F_val = ch16::features(body, val);
      const auto F_test = ch16::features(body, target_test);
      Rng head_init(opt.seed + 1);
      Sequential<float> head;
      head.add(Linear<float>(kSmallCnnFeatures, 5, head_init));  // only the head learns
      a.frozen = ch16::train(head, recipe.head_lr, F_few, curves ? &F_val : nullptr, F_test, recipe, opt.seed);
      //! [frozen]
      a.nearest_mean = accuracy(ch16::nearest_class_mean(F_few.X, F_few.y, 5, F_test.X), F_test.y);
      //! [finetune]
      Rng net_init(opt.seed);
      Sequential<float> net = small_cnn<float>(net_init, 5);
      load_model(pretrained_file, net);                                   // every layer ...
      net.layer<Linear<float>>(kSmallCnnBodyModules) = head.layer<Linear<float>>(0);  // ... and the trained head
      a.finetune = ch16::train(net, recipe.finetune_lr, few, curves ? &val : nullptr, target_test, recipe, opt.seed);
      //! [finetune]
      Rng fresh_init(opt.seed + 2);
      Sequential<float> fresh = small_cnn<float>(fresh_init, 5);
      a.scratch = ch16::train(fresh, recipe.lr, few, curves ? &val : nullptr, target_test, recipe, opt.seed);
      //! [conv_only]
      Rng pre_init(opt.seed);
      Sequential<float> old = small_cnn<float>(pre_init, 5);
      load_model(pretrained_file, old);
      Sequential<float> convs = ch16::conv_part(old);                  // the kernels, kept fixed
      const auto C_few = ch16::features(convs, few), C_val = ch16::features(convs, val);
      const auto C_test = ch16::features(convs, target_test);
      Rng dense_init(opt.seed + 3);
      Sequential<float> dense;                                         // the dense layers, new
      dense.add(Linear<float>(32 * 7 * 7, kSmallCnnFeatures, dense_init)).add(ReLU<float>{})
          .add(Linear<float>(kSmallCnnFeatures, 5, dense_init));
      a.convs = ch16::train(dense, recipe.lr, C_few, curves ? &C_val : nullptr, C_test, recipe, opt.seed);
      //! [conv_only]
      fmt::print("{:>4} labels per class: frozen {:.4f}, fine-tuned {:.4f}, scratch {:.4f}, convolutions kept "
                 "{:.4f}, nearest mean {:.4f}\n", k, a.frozen.test_accuracy, a.finetune.test_accuracy,
                 a.scratch.test_accuracy, a.convs.test_accuracy, a.nearest_mean);
      if (!save_as.empty())
        save_model(save_as, net, {{"classes", std::vector<std::string>(names.begin() + 5, names.end())}, {"labels_per_class", k}});
      return a;
    };
    const Arms main_run = run_arms(labels_per_class, true, opt.out / "finetuned.npz");
    std::vector<double> ks, frozen_acc, finetune_acc, scratch_acc, convs_acc, nearest_acc;
    for (std::size_t k : sweep) {
      const Arms a = k == labels_per_class ? main_run : run_arms(k, false, {});
      ks.push_back(double(k)), frozen_acc.push_back(a.frozen.test_accuracy), nearest_acc.push_back(a.nearest_mean);
      finetune_acc.push_back(a.finetune.test_accuracy), scratch_acc.push_back(a.scratch.test_accuracy);
      convs_acc.push_back(a.convs.test_accuracy);
    }

    // ---- Plots and metrics
    auto val_curve = [](const History& h) {
      std::vector<double> x, y;
      for (const auto& r : h.epochs) x.push_back(r.epoch), y.push_back(r.val_accuracy);
      return std::pair{x, y};
    };
    plot::Figure curves(fmt::format("New classes, {} labels per class", labels_per_class), "epoch", "validation accuracy");
    for (const auto& [name, arm] : {std::pair<const char*, const ch16::ArmResult&>{"frozen features", main_run.frozen},
                                    {"fine-tuned", main_run.finetune}, {"from scratch", main_run.scratch},
                                    {"convolutions kept, dense new", main_run.convs}}) {
      const auto [x, y] = val_curve(arm.history);
      curves.line(name, x, y, "lw 2");
    }
    curves.key("bottom right").save(opt.out / "curves.svg");
    plot::Figure by_labels("Test accuracy on the new classes", "labelled images per class", "test accuracy");
    by_labels.linespoints("frozen features", ks, frozen_acc, "lw 2").linespoints("fine-tuned", ks, finetune_acc, "lw 2")
        .linespoints("from scratch", ks, scratch_acc, "lw 2").linespoints("convolutions kept, dense new", ks, convs_acc, "lw 2")
        .linespoints("nearest class mean (exercise)", ks, nearest_acc, "dt 2")
        .log_x().xrange(0.8 * ks.front(), 1.25 * ks.back()).key("top left").save(opt.out / "accuracy_vs_labels.svg");
    plot_history(opt.out, pre, "Pretraining on five classes", "pretrain_");

    nlohmann::json m;
    m["pretrain_test_accuracy"] = pretrain_acc;
    m["frozen_test_accuracy"] = main_run.frozen.test_accuracy;
    m["finetune_test_accuracy"] = main_run.finetune.test_accuracy;
    m["scratch_test_accuracy"] = main_run.scratch.test_accuracy;
    m["conv_only_test_accuracy"] = main_run.convs.test_accuracy;
    m["nearest_mean_test_accuracy"] = main_run.nearest_mean;
    m["labels_per_class"] = labels_per_class;
    m["steps"] = recipe.steps;
    m["epochs"] = opt.epochs;
    m["target_test_size"] = target_test.size();
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} and the models pretrained.npz, finetuned.npz\n", (opt.out / "metrics.json").string());
  });
}
