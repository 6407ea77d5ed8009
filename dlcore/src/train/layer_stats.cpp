#include "dlcore/train/layer_stats.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
std::vector<AnyTensor<T>> layer_outputs(Sequential<T>& net, const AnyTensor<T>& x,
                                        const Context& ctx) {
  // keep the buffers' values, run module by module, put the buffers back
  const auto buffers = net.buffers();
  std::vector<std::vector<T>> saved;
  for (const auto& b : buffers) saved.emplace_back(b.value, b.value + b.size());
  std::vector<AnyTensor<T>> outs;
  outs.reserve(net.size());
  const AnyTensor<T>* h = &x;
  for (std::size_t i = 0; i < net.size(); ++i) {
    outs.push_back(net.module(i).forward(*h, ctx));
    h = &outs.back();
  }
  for (std::size_t k = 0; k < buffers.size(); ++k)
    std::copy(saved[k].begin(), saved[k].end(), buffers[k].value);
  return outs;
}

template <class T>
std::vector<double> percentiles(const T* values, std::size_t n, const std::vector<double>& ps) {
  if (n == 0) throw ValueError("percentiles: no values");
  std::vector<double> v(values, values + n);
  std::sort(v.begin(), v.end());
  std::vector<double> out;
  for (double p : ps) {
    if (!(p >= 0 && p <= 100)) throw ValueError("percentiles: p = " + std::to_string(p) + " is outside [0, 100]");
    const double r = p / 100.0 * double(n - 1);  // rank between order statistics
    const auto lo = std::size_t(std::floor(r));
    const std::size_t hi = std::min(lo + 1, n - 1);
    out.push_back(v[lo] + (r - double(lo)) * (v[hi] - v[lo]));
  }
  return out;
}

template <class T>
std::vector<double> percentiles(const AnyTensor<T>& x, const std::vector<double>& ps) {
  return std::visit([&](const auto& t) { return percentiles(t.data(), t.size(), ps); }, x);
}

template <class T>
Moments moments(const AnyTensor<T>& x) {
  return std::visit(
      [](const auto& t) {
        if (t.size() == 0) throw ValueError("moments: an empty tensor");
        double sum = 0, sq = 0;
        for (std::size_t i = 0; i < t.size(); ++i) sum += double(t.data()[i]);
        const double mean = sum / double(t.size());
        for (std::size_t i = 0; i < t.size(); ++i) sq += (double(t.data()[i]) - mean) * (double(t.data()[i]) - mean);
        return Moments{mean, std::sqrt(sq / double(t.size()))};
      },
      x);
}

std::vector<double> moving_average(const std::vector<double>& v, std::size_t window) {
  if (window == 0) throw ValueError("moving_average: the window must be at least 1");
  std::vector<double> out(v.size());
  double sum = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    sum += v[i];
    if (i >= window) sum -= v[i - window];
    out[i] = sum / double(std::min(i + 1, window));
  }
  return out;
}

template std::vector<AnyTensor<float>> layer_outputs(Sequential<float>&, const AnyTensor<float>&,
                                                     const Context&);
template std::vector<AnyTensor<double>> layer_outputs(Sequential<double>&, const AnyTensor<double>&,
                                                      const Context&);
template std::vector<double> percentiles(const float*, std::size_t, const std::vector<double>&);
template std::vector<double> percentiles(const double*, std::size_t, const std::vector<double>&);
template std::vector<double> percentiles(const AnyTensor<float>&, const std::vector<double>&);
template std::vector<double> percentiles(const AnyTensor<double>&, const std::vector<double>&);
template Moments moments(const AnyTensor<float>&);
template Moments moments(const AnyTensor<double>&);

}  // namespace dl
