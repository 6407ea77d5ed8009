#include "dlcore/io/limits.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace dl {

std::string bytes_str(std::size_t n) {
  constexpr std::size_t KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
  if (n >= GiB && n % GiB == 0) return fmt::format("{} GiB", n / GiB);
  if (n >= MiB && n % MiB == 0) return fmt::format("{} MiB", n / MiB);
  if (n >= KiB && n % KiB == 0) return fmt::format("{} KiB", n / KiB);
  return fmt::format("{} bytes", n);
}

std::optional<std::size_t> checked_product(const std::vector<std::size_t>& dims) {
  // the strides of an array with a zero dimension still multiply the others
  std::size_t nonzero = 1;
  bool empty = false;
  for (const std::size_t d : dims) {
    if (d == 0) empty = true;
    else if (__builtin_mul_overflow(nonzero, d, &nonzero)) return std::nullopt;  // GCC and clang
  }
  if (nonzero > std::size_t(PTRDIFF_MAX)) return std::nullopt;  // xtensor's strides are signed
  return empty ? 0 : nonzero;
}

}  // namespace dl
