#pragma once
// Chapter 10's deep MLP, with or without batch normalisation, and the probes that look at
// the input of each of its ReLUs (the distribution batch normalisation holds still).
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>
#include <dlcore/train/layer_stats.hpp>

namespace ch10 {

//! [deep_mlp]
/// 784 -> `depth` x (Linear(width) [-> BatchNorm1d] -> ReLU) -> Linear(10). The weights
/// come from a generator seeded with `seed`, drawn in the same order with and without
/// BN (BN draws nothing): the two networks start from the same weights.
inline dl::Sequential<float> deep_mlp(std::size_t depth, std::size_t width, bool batchnorm,
                                      std::uint64_t seed) {
  dl::Rng rng(seed);
  dl::Sequential<float> net;
  std::size_t d_in = 784;
  for (std::size_t l = 0; l < depth; ++l) {
    net.add(dl::Linear<float>(d_in, width, rng));          // Xavier uniform, bias 0
    if (batchnorm) net.add(dl::BatchNorm1d<float>(width));  // normalise, then scale and shift
    net.add(dl::ReLU<float>{});
    d_in = width;
  }
  net.add(dl::Linear<float>(d_in, 10, rng));
  return net;
}
//! [deep_mlp]

/// The input of every ReLU of `net` for the batch X: the Linear output in the plain
/// network, the BatchNorm output in the other. A probe: running statistics are left as
/// they were.
inline std::vector<dl::AnyTensor<float>> relu_inputs(dl::Sequential<float>& net,
                                                     const dl::Tensor2<float>& X,
                                                     dl::Mode mode) {
  auto outs = dl::layer_outputs(net, dl::AnyTensor<float>(X), dl::Context{mode, nullptr});
  std::vector<dl::AnyTensor<float>> inputs;
  for (std::size_t i = 1; i < net.size(); ++i)
    if (net.module(i).describe() == "ReLU") inputs.push_back(std::move(outs[i - 1]));
  return inputs;
}

/// Per layer, the percentiles ps of the ReLU inputs: rows layers, columns ps.
inline std::vector<std::vector<double>> percentile_table(const std::vector<dl::AnyTensor<float>>& acts,
                                                         const std::vector<double>& ps) {
  std::vector<std::vector<double>> rows;
  for (const auto& a : acts) rows.push_back(dl::percentiles(a, ps));
  return rows;
}

/// One curve per percentile over the layers 1..L, solid for `after`, dashed for `before`.
inline void plot_percentiles(const std::filesystem::path& svg, const std::string& title,
                             const std::vector<double>& ps,
                             const std::vector<std::vector<double>>& before,
                             const std::vector<std::vector<double>>& after) {
  dl::plot::Figure fig(title, "hidden layer", "input of the ReLU (percentiles)");
  std::vector<double> layer;
  for (std::size_t l = 1; l <= after.size(); ++l) layer.push_back(double(l));
  for (std::size_t k = 0; k < ps.size(); ++k) {
    std::vector<double> b, a;
    for (std::size_t l = 0; l < after.size(); ++l) b.push_back(before[l][k]), a.push_back(after[l][k]);
    const std::string color = "lc " + std::to_string(k + 1);
    fig.linespoints(fmt::format("p{:g} at the start", ps[k]), layer, b, color + " dt 2");
    fig.linespoints(fmt::format("p{:g} after training", ps[k]), layer, a, color + " lw 2");
  }
  fig.key("outside right").size(860, 450).save(svg);
}

/// The standard deviation of each layer's ReLU input.
inline std::vector<double> layer_stds(const std::vector<dl::AnyTensor<float>>& acts) {
  std::vector<double> s;
  for (const auto& a : acts) s.push_back(dl::moments(a).std);
  return s;
}

}  // namespace ch10
