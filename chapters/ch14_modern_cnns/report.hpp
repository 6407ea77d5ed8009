#pragma once
// Chapter 14's training recipe, plots and tables: what main.cpp calls once per model.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>
#include <dlcore/train/layer_stats.hpp>

#include "exercise.hpp"
#include "models.hpp"

namespace ch14 {

using Images = dl::Dataset<dl::Tensor4<float>>;

/// What one trained network reports.
struct Run {
  std::string key;
  dl::History history;
  double test_accuracy = 0, final_train_loss = NAN, seconds = 0;
  std::size_t num_params = 0;
};

//! [recipe]
/// The one recipe: Adam, its learning rate decayed from lr to 0 along a cosine over all
/// steps, mini-batches shuffled by a copy of `rng` (every network sees the same batches),
/// each batch transformed by `augment` when one is given.
inline Run train(dl::Sequential<float>& net, const std::string& key, const Images& train, const Images& val,
                 const Images& test, dl::Rng& rng, int epochs, std::size_t batch_size, double lr, bool progress,
                 dl::Augment augment = {}) {
  Run r;
  r.key = key;
  r.num_params = net.num_params();
  dl::Adam<float> opt{float(lr)};
  const int steps = epochs * int((train.size() + batch_size - 1) / batch_size);
  dl::FitOptions fo;
  fo.epochs = epochs;
  fo.batch_size = batch_size;
  fo.progress = progress;
  fo.on_step = dl::schedule_steps(opt, dl::CosineLR(lr, steps));
  fo.augment = std::move(augment);
  dl::Rng order = rng;
  fmt::print("== {} ({} parameters)\n", key, r.num_params);
  r.history = dl::fit(net, dl::SoftmaxCrossEntropy<float>{}, opt, train.X, train.y, order, fo, &val);
  r.test_accuracy = dl::evaluate(net, dl::SoftmaxCrossEntropy<float>{}, test.X, test.y).accuracy;
  r.seconds = r.history.seconds;
  return r;
}
//! [recipe]

//! [flip_average]
/// Test-time augmentation as AlexNet did it (there over ten crops and their mirror images):
/// the accuracy of the mean of the softmax outputs for each image and its mirror image.
inline double flip_averaged_accuracy(dl::Sequential<float>& net, const Images& test) {
  dl::Tensor4<float> mirrored = test.X;
  dl::flip_horizontal(mirrored);
  const dl::Tensor2<float> p = dl::softmax_rows(dl::predict(net, test.X)) +
                               dl::softmax_rows(dl::predict(net, mirrored));  // twice the mean
  return dl::accuracy(dl::argmax_rows(p), test.y);
}
//! [flip_average]

/// Training loss per step (moving average), one curve per run, over epochs.
inline void plot_runs(const std::filesystem::path& svg, const std::string& title, const std::vector<Run>& runs,
                      int epochs) {
  dl::plot::Figure fig(title, "epoch", "training loss (moving average of 20 steps)");
  for (const Run& r : runs) {
    const auto& s = r.history.step_loss;
    std::vector<double> x;
    for (std::size_t i = 1; i <= s.size(); ++i) x.push_back(double(i) * epochs / double(s.size()));
    fig.line(r.key, x, dl::moving_average(s, 20), "lw 2");
  }
  fig.log_y().key("top right").save(svg);
}

/// models.csv (name, parameters, test and validation accuracy, seconds) and the same figures
/// in metrics; `compare_winner` is the best network by validation accuracy (the one a reader
/// would pick: the test set only reports), `best_model` the best by test accuracy.
inline void write_model_table(const std::filesystem::path& csv, const std::vector<Run>& runs, nlohmann::json& m) {
  std::string table = "model,parameters,test_accuracy,val_accuracy,seconds\n";
  const Run* best = &runs.front();
  const Run* winner = &runs.front();
  for (const Run& r : runs) {
    table += fmt::format("{},{},{:.4f},{:.4f},{:.1f}\n", r.key, r.num_params, r.test_accuracy,
                         r.history.epochs.back().val_accuracy, r.seconds);
    m[r.key + "_test_accuracy"] = r.test_accuracy;
    m[r.key + "_params"] = r.num_params;
    m[r.key + "_seconds"] = r.seconds;
    m[r.key + "_val_accuracy"] = r.history.epochs.back().val_accuracy;
    if (r.history.epochs.back().val_accuracy > winner->history.epochs.back().val_accuracy) winner = &r;
    if (r.test_accuracy > best->test_accuracy) best = &r;
  }
  dl::write_file_atomic(csv, table);
  m["best_test_accuracy"] = best->test_accuracy;
  m["best_model"] = best->key;
  m["compare_winner"] = winner->key;
}

/// separable_cost.csv: standard vs depthwise-separable 3x3 layers at the sizes of a small
/// CNN and of a MobileNet layer; the ratios go to metrics.
inline void cost_table(const std::filesystem::path& csv, nlohmann::json& m) {
  std::string table = "c_in,c_out,map,params_standard,params_separable,madds_standard,madds_separable,madds_ratio\n";
  for (auto [c_in, c_out, side] : {std::tuple<std::size_t, std::size_t, std::size_t>{16, 32, 28}, {32, 64, 14}, {64, 128, 7}, {256, 256, 14}, {512, 512, 14}}) {
    const ConvCost c = conv_cost(c_in, c_out, 3, side * side);
    const double ratio = double(c.madds_standard) / double(c.madds_separable);
    table += fmt::format("{},{},{}x{},{},{},{},{},{:.2f}\n", c_in, c_out, side, side, c.params_standard,
                         c.params_separable, c.madds_standard, c.madds_separable, ratio);
    fmt::print("  3x3 {:>3} -> {:>3} on {:>2}x{:<2}: params {:>8} vs {:>7}, multiply-adds {:>10} vs {:>9} ({:.1f}x)\n",
               c_in, c_out, side, side, c.params_standard, c.params_separable, c.madds_standard,
               c.madds_separable, ratio);
    m[fmt::format("madds_ratio_{}_{}", c_in, c_out)] = ratio;
  }
  dl::write_file_atomic(csv, table);
}

/// Seconds of a standard 3x3 convolution's forward + backward over those of depthwise 3x3
/// + pointwise, on a batch of n maps (side x side, C_in channels): best of 3 runs each.
inline double time_separable(std::size_t c_in, std::size_t c_out, std::size_t side, std::size_t n, dl::Rng& rng) {
  dl::Rng init(1);
  dl::Conv2D<float> conv(c_in, c_out, 3, init, 1, 1);
  dl::DepthwiseConv2D<float> dw(c_in, 3, init, 1, 1);
  dl::PointwiseConv2D<float> pw(c_in, c_out, init);
  dl::Tensor4<float> x = dl::Tensor4<float>::from_shape({n, c_in, side, side});
  for (auto& v : x) v = float(rng.normal());
  const dl::Tensor4<float> g = xt::ones<float>({n, c_out, side, side});
  auto best_of_3 = [](auto f) {
    double best = 1e30;
    for (int k = 0; k < 3; ++k) {
      dl::Stopwatch t;
      f();
      best = std::min(best, t.seconds());
    }
    return best;
  };
  const double standard = best_of_3([&] {
    dl::Conv2D<float>::Cache c;
    conv.forward(x, c);
    conv.backward(g, c);
  });
  const double separable = best_of_3([&] {
    dl::DepthwiseConv2D<float>::Cache c1;
    dl::PointwiseConv2D<float>::Cache c2;
    pw.forward(dw.forward(x, c1), c2);
    dw.backward(pw.backward(g, c2), c1);
  });
  return standard / separable;
}

/// Exercise 14.1 against dl::DepthwiseConv2D, plane by plane (stride 2, padding 1).
inline bool check_depthwise_exercise(dl::Rng& rng) {
  dl::Rng init(2);
  dl::DepthwiseConv2D<double> dw(3, 3, init, 2, 1);
  dl::Tensor4<double> x = dl::Tensor4<double>::from_shape({1, 3, 7, 6});
  for (auto& v : x) v = rng.normal();
  dl::DepthwiseConv2D<double>::Cache cache;
  const dl::Tensor4<double> y = dw.forward(x, cache);
  for (std::size_t c = 0; c < 3; ++c) {
    const xt::xtensor<double, 2> mine =
        depthwise_plane(xt::view(x, 0, c), xt::view(dw.W, c, 0), 2, 1);
    const xt::xtensor<double, 2> ref = xt::view(y, 0, c);
    if (mine.shape() != ref.shape() || dl::relative_error(mine, ref) > 1e-12) return false;
  }
  return true;
}

}  // namespace ch14
