#include "dlcore/io/histogram.hpp"

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
Histogram histogram(const T* values, std::size_t n, double lo, double hi, std::size_t bins) {
  if (bins == 0 || !(hi > lo))
    throw ValueError(fmt::format("histogram: need bins > 0 and hi > lo, got {} bins over [{}, {}]",
                                 bins, lo, hi));
  const double width = (hi - lo) / double(bins);
  std::vector<std::size_t> count(bins, 0);
  Histogram h;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = double(values[i]);
    if (!(v >= lo && v <= hi)) {
      ++h.outside;
      continue;
    }
    const std::size_t b = std::min(bins - 1, std::size_t((v - lo) / width));  // hi goes in the last bin
    ++count[b];
  }
  for (std::size_t b = 0; b < bins; ++b) {
    h.centers.push_back(lo + (double(b) + 0.5) * width);
    h.density.push_back(n ? double(count[b]) / (double(n) * width) : 0.0);
  }
  return h;
}

template Histogram histogram(const float*, std::size_t, double, double, std::size_t);
template Histogram histogram(const double*, std::size_t, double, double, std::size_t);

}  // namespace dl
