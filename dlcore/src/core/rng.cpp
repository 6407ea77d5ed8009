#include "dlcore/core/rng.hpp"

#include <cmath>
#include <sstream>

#include "dlcore/core/error.hpp"

namespace dl {

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Box-Muller: two uniforms -> two independent standard normals.
  double u1 = uniform();
  while (u1 <= 0.0) u1 = uniform();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * M_PI * u2;
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return r * std::cos(theta);
}

std::uint64_t Rng::below(std::uint64_t n) {
  if (n == 0) throw ValueError("Rng::below: n must be positive");
  // Rejection sampling removes the modulo bias.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t r = engine_();
  while (r >= limit) r = engine_();
  return r % n;
}

std::vector<std::size_t> Rng::permutation(std::size_t n) {
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(p[i - 1], p[below(i)]);
  return p;
}

std::string Rng::state() const {
  std::ostringstream os;
  os.precision(17);
  os << engine_ << ' ' << has_spare_ << ' ' << spare_;
  return os.str();
}

void Rng::restore(const std::string& state) {
  std::istringstream is(state);
  is >> engine_ >> has_spare_ >> spare_;
  if (!is) throw ValueError("Rng::restore: the saved generator state is malformed");
}

}  // namespace dl
