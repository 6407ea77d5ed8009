#include "dlcore/layers/recurrent.hpp"

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

void check_lengths(const std::string& who, const Lengths& lengths, std::size_t T, std::size_t N) {
  if (lengths.empty()) return;
  if (lengths.size() != N)
    throw ShapeError(fmt::format("{}: {} sequence lengths for a batch of {} sequences", who,
                                 lengths.size(), N));
  for (std::size_t n = 0; n < N; ++n)
    if (lengths[n] < 1 || lengths[n] > T)
      throw ValueError(fmt::format("{}: sequence {} has length {}, outside [1, {}] (T = {})", who,
                                   n, lengths[n], T, T));
}

}  // namespace dl
