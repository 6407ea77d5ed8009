#pragma once
// Chapter 23: what the program writes for each Keras program (metrics, plots, the model file
// and its test outputs for tools/dlcore_to_torch.py), and the --predict mode.
#include <cstdio>
#include <filesystem>
#include <string>

#include <dlcore/dlcore.hpp>
#include <dlcore/io/npz.hpp>

#include "keras_programs.hpp"

namespace ch23 {

using namespace dl;

/// Into `m`: NAME_<score> (test_accuracy or test_rmse), NAME_test_loss, NAME_epochs,
/// NAME_num_params, NAME_seconds_per_epoch, NAME_val_loss; into `out`: NAME_loss.svg (and
/// NAME_accuracy.svg for classifiers), NAME_history.csv, the model NAME.npz and its test
/// outputs NAME_logits.npy.
inline void report(const std::filesystem::path& out, const std::string& name, Outcome& o,
                   const std::string& score, nlohmann::json& m) {
  const auto& last = o.history.epochs.back();
  m[name + "_" + score] = o.test_score;
  m[name + "_test_loss"] = o.test_loss;
  m[name + "_val_loss"] = last.val_loss;
  m[name + "_epochs"] = o.history.epochs.size();
  m[name + "_num_params"] = o.net.num_params();
  m[name + "_seconds_per_epoch"] = o.history.seconds / double(o.history.epochs.size());
  if (!std::isnan(last.val_accuracy)) m[name + "_val_accuracy"] = last.val_accuracy;
  fmt::print("{}: {} {:.4f}, test loss {:.4f}, {} parameters, {:.1f} s per epoch\n", name, score,
             o.test_score, o.test_loss, o.net.num_params(), m[name + "_seconds_per_epoch"].get<double>());
  plot_history(out, o.history, name, name + "_");
  // What tools/dlcore_to_torch.py reads: the model and what it answered on the test set
  save_model(out / (name + ".npz"), o.net, {{"chapter", "ch23_frameworks"}, {"model", name}});
  save_npy(out / (name + "_logits.npy"), o.test_outputs);
}

/// dropout_mlp_fit.svg: predicted against true targets on the test points.
inline void plot_regression(const std::filesystem::path& out, Outcome& o, const Points& test) {
  const std::vector<double> truth(test.y.begin(), test.y.end()),
      predicted(o.test_outputs.begin(), o.test_outputs.end());
  plot::Figure("Dropout MLP: predicted against true target (test points)", "true y", "predicted y")
      .points("test points", truth, predicted)
      .line("y = x", {-1.5, 1.5}, {-1.5, 1.5}, "lw 1 dt 2 lc rgb 'black'")
      .xrange(-1.5, 1.5).yrange(-1.5, 1.5).size(520, 500).key("top left")
      .save(out / "dropout_mlp_fit.svg");
}

/// Whether `net` has the architecture of dlcore's builder "lenet5" or "seed_cnn" (the
/// models chapter 13 trains and saves).
inline bool same_architecture(Sequential<float>& net, const std::string& builder) {
  Rng rng(0);
  Sequential<float> ref = builder == "lenet5" ? lenet5<float>(rng) : seed_cnn<float>(rng);
  return model_architecture(net) == model_architecture(ref);
}

/// --predict: load a model file saved by chapter 7 (784-H-10 MLP) or 13 (LeNet-5, the seed
/// CNN), write its logits for `test` to OUT/<stem>_logits.npy. ValueError naming the file's
/// layers when it is none of those.
inline void predict_model_file(const std::filesystem::path& file, const Images& test, const std::filesystem::path& out) {
  // The file's layers, to pick the network to load it into
  nlohmann::json model;
  for (const auto& [name, data] : read_npz(file))
    if (name == "model.json") model = nlohmann::json::parse(data);
  const auto arch = model.value("architecture", nlohmann::json::array());
  Rng rng(0);
  Sequential<float> net;
  const std::string first = arch.empty() ? "" : arch[0].get<std::string>();
  std::size_t hidden = 0;  // chapter 7's MLP: "Linear(784 -> H)", ReLU, "Linear(H -> 10)"
  char close = 0;
  const bool is_mlp = arch.size() == 3 && std::sscanf(first.c_str(), "Linear(784 -> %zu%c", &hidden, &close) == 2 && close == ')';
  Sequential<float> le = lenet5<float>(rng), cnn = seed_cnn<float>(rng);
  if (is_mlp) {
    net.add(Linear<float>(784, hidden, rng)).add(ReLU<float>{}).add(Linear<float>(hidden, 10, rng));
  } else if (arch == model_architecture(le)) {
    net = std::move(le);
  } else if (arch == model_architecture(cnn)) {
    net = std::move(cnn);
  } else {
    throw ValueError(fmt::format("--predict {}: layers {} are none of chapter 7's MLP (784 -> H -> 10), "
                                 "LeNet-5 or the seed CNN", file.string(), arch.dump()));
  }
  load_model(file, net);
  const Tensor2<float> logits = is_mlp
      ? predict(net, Tensor2<float>(xt::reshape_view(test.X, {test.size(), std::size_t(784)})))
      : predict(net, test.X);
  const std::filesystem::path dst = out / (file.stem().string() + "_logits.npy");
  save_npy(dst, logits);
  fmt::print("{}: {} layers; test accuracy {:.4f} on {} images; logits written to {}\n", file.string(),
             arch.size(), accuracy(argmax_rows(logits), test.y), test.size(), dst.string());
}

}  // namespace ch23
