#pragma once
// Chapter 9's deep MLPs: one activation and one initialisation per network, and the probes
// that measure how the signal (forward) and the gradient (backward) change with depth.
#include <cmath>
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>

namespace ch09 {

/// One network of the experiment: an activation and how its weights are drawn.
struct Config {
  std::string name;        ///< e.g. "sigmoid sigma=0.01"; the legend (no commas: CSV)
  std::string key;         ///< e.g. "sigmoid_small"; metrics.json and file names
  std::string activation;  ///< sigmoid, tanh or relu
  dl::Init init;           ///< xavier_normal, he_normal or normal
  double sigma = 0.01;     ///< the standard deviation for Init::normal
};

//! [deep_mlp]
/// 784 -> `depth` x (Linear(width) -> activation) -> Linear(10), every weight matrix drawn
/// from cfg.init (fan_in and fan_out of its own layer), biases zero.
inline dl::Sequential<float> deep_mlp(const Config& cfg, std::size_t depth, std::size_t width,
                                      std::uint64_t seed) {
  dl::Rng rng(seed);
  dl::Sequential<float> net;
  std::size_t d_in = 784;
  for (std::size_t l = 0; l <= depth; ++l) {
    const std::size_t d_out = l < depth ? width : 10;
    dl::Linear<float> lin(d_in, d_out, rng);
    dl::init_weights(lin.W, cfg.init, d_in, d_out, rng, cfg.sigma);  // the initialisation under study
    net.add(std::move(lin));
    if (l == depth) break;
    if (cfg.activation == "sigmoid") net.add(dl::Sigmoid<float>{});
    else if (cfg.activation == "tanh") net.add(dl::Tanh<float>{});
    else net.add(dl::ReLU<float>{});
    d_in = width;
  }
  return net;
}
//! [deep_mlp]

/// Standard deviation of every hidden layer's output (after its activation) for a batch X.
inline std::vector<double> activation_stds(dl::Sequential<float>& net, const dl::Tensor2<float>& X) {
  std::vector<double> stds;
  dl::AnyTensor<float> h = X;
  const dl::Context ctx{dl::Mode::eval, nullptr};
  for (std::size_t i = 0; i + 1 < net.size(); ++i) {
    h = net.module(i).forward(h, ctx);
    if (i % 2 == 0) continue;  // Linear; the activation follows it
    const auto& a = std::get<dl::Tensor2<float>>(h);
    double s = 0, s2 = 0;
    for (float v : a) s += v, s2 += double(v) * v;
    const double n = double(a.size()), mean = s / n;
    stds.push_back(std::sqrt(std::max(0.0, s2 / n - mean * mean)));
  }
  return stds;
}

/// The gradient norm ||dL/dW|| of every Linear layer (input side first) for one batch.
inline std::vector<double> layer_grad_norms(dl::Sequential<float>& net, const dl::Tensor2<float>& X,
                                            const dl::Labels& y) {
  dl::SoftmaxCrossEntropy<float> loss;
  dl::SoftmaxCrossEntropy<float>::Cache cache;
  net.zero_grad();
  loss.forward(net.forward2(X, dl::Context{dl::Mode::train, nullptr}), y, cache);
  net.backward(loss.backward(cache));
  return dl::grad_norms(net.params(), ".W");
}

/// 1, 2, ..., n as doubles (layer numbers for plots).
inline std::vector<double> one_to(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = double(i + 1);
  return v;
}

}  // namespace ch09
