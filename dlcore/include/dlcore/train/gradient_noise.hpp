#pragma once
/// \file
/// The mini-batch gradient as a random variable: its mean (the full gradient: it is
/// unbiased) and its variance, which falls as 1/B with the batch size B.
/// Derivation and measurement: @ref ch05_gradient_descent "Chapter 5".

#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/train/data.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// The gradient of the mean loss over rows `rows` of (X, y) at the current parameters, every
/// parameter's gradient flattened in the order of net.params(). Leaves those gradients in
/// the network (zeroed first).
template <class T, class Loss, class XT, class YT>
std::vector<double> batch_gradient(Sequential<T>& net, const Loss& loss, const XT& X, const YT& y,
                                   const std::vector<std::size_t>& rows,
                                   const Context& ctx = {Mode::train, nullptr}) {
  if (X.shape(0) != y.shape(0))
    throw ShapeError(fmt::format("batch_gradient: {} inputs but {} targets", X.shape(0), y.shape(0)));
  if (rows.empty()) throw ValueError("batch_gradient: no rows");
  AnyTensor<T> batch = XT{};
  XT& xb = std::get<XT>(batch);
  YT yb;
  gather_rows(X, rows, 0, rows.size(), xb);
  gather_rows(y, rows, 0, rows.size(), yb);
  typename Loss::Cache cache;
  net.zero_grad();
  loss.forward(net.forward2(batch, ctx), yb, cache);
  net.backward(loss.backward(cache));
  std::vector<double> g;
  for (const auto& p : net.params()) g.insert(g.end(), p.grad, p.grad + p.size());
  return g;
}

/// What gradient_noise() measured for one batch size B.
struct GradientNoise {
  std::size_t batch_size = 0;
  std::size_t draws = 0;          ///< random mini-batches drawn
  double variance = 0;            ///< measured \f$ E\,\|g_B - g\|^2 \f$ (mean over the draws)
  /// \f$ \frac{\sigma^2}{B}\frac{N - B}{N - 1} \f$: the variance of the mean of B examples
  /// drawn without replacement from N
  double predicted_variance = 0;
  double relative_bias = 0;       ///< \f$ \|\bar g_B - g\| / \|g\| \f$, \f$ \bar g_B \f$ the mean over the draws
  /// \f$ \|\bar g_B - g\|^2 \f$ over its expectation variance/draws for an unbiased
  /// estimator: near 1 when \f$ E[g_B] = g \f$ (0 when B = N and there is no noise)
  double bias_ratio = 0;
};

/// The full gradient's size, the per-example variance and one GradientNoise per batch size.
struct GradientNoiseStudy {
  double full_norm = 0;             ///< \f$ \|g\| \f$, g the gradient over all N examples
  double per_example_variance = 0;  ///< \f$ \sigma^2 = \frac1N \sum_i \|g_i - g\|^2 \f$
  std::vector<GradientNoise> batches;

  /// \f$ \sigma^2 / \|g\|^2 \f$: the batch size at which the mini-batch noise
  /// \f$ E\|g_B - g\|^2 \approx \sigma^2/B \f$ equals the squared signal \f$ \|g\|^2 \f$
  /// (the "simple noise scale" of McCandlish et al. 2018).
  double noise_scale() const { return per_example_variance / (full_norm * full_norm); }
  /// One column of `batches` (e.g. &GradientNoise::variance) as doubles, for plots.
  template <class M>
  std::vector<double> column(M GradientNoise::*member) const {
    std::vector<double> v;
    for (const auto& b : batches) v.push_back(double(b.*member));
    return v;
  }
};

/// Measure the mini-batch gradient at the current parameters: the exact per-example
/// variance (N single-example gradients) and, for each batch size, `draws` random batches
/// of distinct examples. Costs N + draws * sum(B) example gradients.
template <class T, class Loss, class XT, class YT>
GradientNoiseStudy gradient_noise(Sequential<T>& net, const Loss& loss, const XT& X, const YT& y,
                                  const std::vector<std::size_t>& batch_sizes, std::size_t draws,
                                  Rng& rng) {
  const std::size_t N = X.shape(0);
  if (draws < 2) throw ValueError(fmt::format("gradient_noise: need at least 2 draws, got {}", draws));
  for (std::size_t B : batch_sizes)
    if (B == 0 || B > N)
      throw ValueError(fmt::format("gradient_noise: batch size {} is outside [1, {}]", B, N));
  std::vector<std::size_t> all(N);
  std::iota(all.begin(), all.end(), std::size_t(0));
  const std::vector<double> g = batch_gradient(net, loss, X, y, all);  // the full gradient
  auto dist2 = [&](const std::vector<double>& a) {
    double s = 0;
    for (std::size_t k = 0; k < g.size(); ++k) s += (a[k] - g[k]) * (a[k] - g[k]);
    return s;
  };
  GradientNoiseStudy study;
  study.full_norm = std::sqrt(std::inner_product(g.begin(), g.end(), g.begin(), 0.0));
  for (std::size_t i = 0; i < N; ++i)  // sigma^2: the spread of single-example gradients
    study.per_example_variance += dist2(batch_gradient(net, loss, X, y, {i})) / double(N);
  for (std::size_t B : batch_sizes) {
    GradientNoise r;
    r.batch_size = B;
    r.draws = draws;
    std::vector<double> mean(g.size(), 0.0);
    for (std::size_t d = 0; d < draws; ++d) {
      std::vector<std::size_t> rows = rng.permutation(N);
      rows.resize(B);  // B distinct examples, as in one batch of a shuffled epoch
      const std::vector<double> gb = batch_gradient(net, loss, X, y, rows);
      r.variance += dist2(gb) / double(draws);
      for (std::size_t k = 0; k < g.size(); ++k) mean[k] += gb[k] / double(draws);
    }
    r.predicted_variance = N > 1 ? study.per_example_variance / double(B) *
                                       double(N - B) / double(N - 1) : 0.0;
    r.relative_bias = std::sqrt(dist2(mean)) / std::max(study.full_norm, 1e-300);
    r.bias_ratio = r.variance > 0 ? dist2(mean) / (r.variance / double(draws)) : 0.0;
    study.batches.push_back(r);
  }
  return study;
}

/// A log-log plot of measured variance against batch size for each (label, study): the
/// measured points, the prediction \f$ \frac{\sigma^2}{B}\frac{N-B}{N-1} \f$ dashed, and
/// \f$ \|g\|^2 \f$ dotted, one colour per study. Writes SVG and CSV.
void plot_gradient_noise(const std::filesystem::path& svg,
                         const std::vector<std::pair<std::string, const GradientNoiseStudy*>>& studies,
                         const std::string& title = "Variance of the mini-batch gradient");

}  // namespace dl
