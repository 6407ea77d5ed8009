// Chapter 10: batch normalisation. A deep MLP (10 hidden layers of 256 ReLU units) trained on
// Fashion-MNIST with and without BatchNorm1d, from the same initial weights with the same
// optimizer and the same order of mini-batches; the loss curves of both, and the
// distribution of the input of every ReLU at the start and after training.
// Text: docs/ch10_batchnorm.md
#include <dlcore/dlcore.hpp>
#include <dlcore/train/layer_stats.hpp>
#include <datasets/mnist.hpp>

#include "deep_mlp.hpp"
#include "exercise.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch10_batchnorm", "Chapter 10: a deep MLP with and without batch normalisation");
  cli.epochs(5, 1).data();
  std::size_t depth = 10, width = 256, batch_size = 128, n_val = 5000;
  double lr = 0.01;
  std::string optimizer = "momentum";
  cli.app().add_option("--depth", depth, "Hidden layers")->capture_default_str()->check(CLI::Range(1, 100));
  cli.app().add_option("--width", width, "Units per hidden layer")->capture_default_str()->check(CLI::Range(2, 4096));
  cli.app().add_option("--batch-size", batch_size, "Mini-batch size")->capture_default_str()->check(CLI::Range(2, 60000));
  cli.app().add_option("--lr", lr, "Learning rate (both networks)")->capture_default_str();
  cli.app().add_option("--optimizer", optimizer, "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw")->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    nlohmann::json m;

    // ---- The data: Fashion-MNIST as rows of 784 pixels, a validation split
    auto train_all = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::train));
    auto test = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::test));
    if (opt.quick) train_all = head(train_all, 6000), test = head(test, 2000), n_val = 1000;
    auto [train, val] = split(train_all, n_val, rng.permutation(train_all.size()));
    const Tensor2<float> probe = slice_rows(test.X, 0, opt.quick ? 500 : 1000);  // what the probes look at

    // ---- Two deep MLPs from the same initial weights
    //! [models]
    Sequential<float> plain = ch10::deep_mlp(depth, width, /*batchnorm=*/false, opt.seed);
    Sequential<float> bn = ch10::deep_mlp(depth, width, /*batchnorm=*/true, opt.seed);
    //! [models]
    fmt::print("{}", bn.summary());

    // ---- The input of every ReLU at the start (batch statistics, as in the first step)
    const auto plain_start = ch10::relu_inputs(plain, probe, Mode::train);
    const auto bn_start = ch10::relu_inputs(bn, probe, Mode::train);

    // ---- Training: the same optimizer, learning rate and order of mini-batches
    struct Run {
      std::string key, label;
      Sequential<float>* net;
      History history;
      double test_accuracy = 0;
    };
    std::vector<Run> runs = {{"plain", "without BN", &plain, {}}, {"bn", "with BN", &bn, {}}};
    for (Run& r : runs) {
      fmt::print("== {} ({} {}, lr {})\n", r.label, depth, "hidden layers", lr);
      //! [train]
      Rng order = rng;  // a copy: both runs see the same shuffles
      auto o = make_optimizer<float>(optimizer, float(lr));
      FitOptions fo;
      fo.epochs = opt.epochs;
      fo.batch_size = batch_size;
      fo.progress = opt.progress;
      r.history = fit(*r.net, SoftmaxCrossEntropy<float>{}, *o, train.X, train.y, order, fo, &val);
      r.test_accuracy = evaluate(*r.net, SoftmaxCrossEntropy<float>{}, test.X, test.y).accuracy;
      //! [train]
      fmt::print("   train loss after epoch 1: {:.4f}, test accuracy {:.4f}\n",
                 r.history.epochs.front().train_loss, r.test_accuracy);
      m[r.key + "_train_loss_epoch1"] = r.history.epochs.front().train_loss;
      m[r.key + "_train_loss"] = r.history.epochs.back().train_loss;
      m[r.key + "_val_accuracy"] = r.history.epochs.back().val_accuracy;
      m[r.key + "_test_accuracy"] = r.test_accuracy;
      m[r.key + "_seconds"] = r.history.seconds;
    }

    // ---- The input of every ReLU after training (inference: running statistics)
    const auto plain_end = ch10::relu_inputs(plain, probe, Mode::eval);
    const auto bn_end = ch10::relu_inputs(bn, probe, Mode::eval);

    // ---- Plots: loss curves, activation distributions per layer
    const double steps_per_epoch = double(runs[0].history.step_loss.size()) / double(opt.epochs);
    plot::Figure loss("Deep MLP on Fashion-MNIST: training loss", "epoch", "training loss (moving average of 20 steps)");
    plot::Figure acc("Deep MLP on Fashion-MNIST: validation accuracy", "epoch", "validation accuracy");
    for (const Run& r : runs) {
      std::vector<double> x, epochs, val_acc;
      for (std::size_t s = 1; s <= r.history.step_loss.size(); ++s) x.push_back(double(s) / steps_per_epoch);
      for (const auto& e : r.history.epochs) epochs.push_back(e.epoch), val_acc.push_back(e.val_accuracy);
      loss.line(r.label, x, moving_average(r.history.step_loss, 20), "lw 2");
      acc.linespoints(r.label, epochs, val_acc, "lw 2");
    }
    loss.log_y().yrange(0.15, 3).save(opt.out / "loss.svg");
    acc.key("bottom right").save(opt.out / "accuracy.svg");

    const std::vector<double> ps = {2.3, 15.9, 50, 84.1, 97.7};  // mean -2, -1, 0, +1, +2 sigma for a Gaussian
    ch10::plot_percentiles(opt.out / "activations_plain.svg", "Input of each ReLU, without BN", ps,
                           ch10::percentile_table(plain_start, ps), ch10::percentile_table(plain_end, ps));
    ch10::plot_percentiles(opt.out / "activations_bn.svg", "Input of each ReLU, with BN", ps,
                           ch10::percentile_table(bn_start, ps), ch10::percentile_table(bn_end, ps));
    std::vector<double> layer;
    for (std::size_t l = 1; l <= depth; ++l) layer.push_back(double(l));
    const auto s_plain0 = ch10::layer_stds(plain_start), s_plain1 = ch10::layer_stds(plain_end);
    const auto s_bn0 = ch10::layer_stds(bn_start), s_bn1 = ch10::layer_stds(bn_end);
    plot::Figure stds("Spread of each ReLU's input", "hidden layer", "standard deviation");
    stds.linespoints("without BN (start)", layer, s_plain0, "lc 1 dt 2")
        .linespoints("without BN (trained)", layer, s_plain1, "lc 1 lw 2")
        .linespoints("with BN (start)", layer, s_bn0, "lc 2 dt 2")
        .linespoints("with BN (trained)", layer, s_bn1, "lc 2 lw 2")
        .log_y().key("bottom left").save(opt.out / "activation_std.svg");
    m["plain_std_first_layer_start"] = s_plain0.front();
    m["plain_std_last_layer_start"] = s_plain0.back();
    m["bn_std_last_layer_start"] = s_bn0.back();
    m["plain_std_last_layer_end"] = s_plain1.back();
    m["bn_std_last_layer_end"] = s_bn1.back();

    // ---- Exercises 10.1 and 10.2 against the library's BatchNorm1d (double)
    const Tensor2<double> x = xt::cast<double>(slice_rows(probe, 0, 64)), dy = 1.0 - x;
    BatchNorm1d<double> ref(784);
    BatchNorm1d<double>::Cache cache;
    const Tensor2<double> y_ref = ref.forward(x, cache, Context{Mode::train, nullptr});
    const Tensor2<double> dx_ref = ref.backward(dy, cache);
    const ch10::BnForward mine = ch10::batchnorm_forward(x, ref.gamma, ref.beta);
    const ch10::BnGrads grads = ch10::batchnorm_backward(dy, mine, ref.gamma);
    m["exercise_forward_matches"] = mine.y.shape() == y_ref.shape() && relative_error(mine.y, y_ref) < 1e-9;
    m["exercise_backward_matches"] = grads.dx.shape() == dx_ref.shape() && relative_error(grads.dx, dx_ref) < 1e-9;

    m["depth"] = depth;
    m["width"] = width;
    m["epochs"] = opt.epochs;
    m["lr"] = lr;
    m["optimizer"] = optimizer;
    m["num_params_plain"] = plain.num_params();
    m["num_params_bn"] = bn.num_params();
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("train loss after 1 epoch: {:.4f} with BN, {:.4f} without; test accuracy {:.4f} with BN, {:.4f} without\n",
               runs[1].history.epochs.front().train_loss, runs[0].history.epochs.front().train_loss,
               runs[1].test_accuracy, runs[0].test_accuracy);
  });
}
