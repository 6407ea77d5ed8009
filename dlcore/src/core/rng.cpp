#include "dlcore/core/rng.hpp"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>
#include <sstream>

#include "dlcore/core/error.hpp"

namespace dl {

MersenneTwister64::MersenneTwister64(std::uint64_t seed) {
  x_[0] = seed;
  for (std::size_t i = 1; i < kN; ++i)
    x_[i] = 6364136223846793005ULL * (x_[i - 1] ^ (x_[i - 1] >> 62)) + i;
}

void MersenneTwister64::refill() {
  constexpr std::size_t kM = 156;
  constexpr std::uint64_t kUpper = 0xFFFFFFFF80000000ULL, kLower = 0x7FFFFFFFULL;
  constexpr std::uint64_t kMatrix = 0xB5026F5AA96619E9ULL;
  auto twist = [&](std::size_t i, std::uint64_t next, std::uint64_t far) {
    const std::uint64_t y = (x_[i] & kUpper) | (next & kLower);
    x_[i] = far ^ (y >> 1) ^ ((0 - (y & 1)) & kMatrix);  // the matrix where y is odd, no branch
  };
  std::size_t i = 0;
  for (; i < kN - kM; ++i) twist(i, x_[i + 1], x_[i + kM]);
  for (; i < kN - 1; ++i) twist(i, x_[i + 1], x_[i + kM - kN]);
  twist(kN - 1, x_[0], x_[kM - 1]);
  p_ = 0;
}

namespace {
// __restrict: without it the compiler must assume `out` may overlap the state and keeps the
// tempering scalar (dropout's masks spent 1.3 ns per number here, most of it in this loop).
template <class Temper>
void temper_block(const std::uint64_t* __restrict in, std::uint64_t* __restrict out,
                  std::size_t m, Temper temper) {
  for (std::size_t i = 0; i < m; ++i) out[i] = temper(in[i]);
}
}  // namespace

void MersenneTwister64::generate(std::uint64_t* out, std::size_t n) {
  while (n > 0) {
    if (p_ >= kN) refill();
    const std::size_t m = std::min(n, kN - p_);
    temper_block(x_ + p_, out, m, temper);
    p_ += m, out += m, n -= m;
  }
}

std::ostream& operator<<(std::ostream& os, const MersenneTwister64& e) {
  for (std::size_t i = 0; i < MersenneTwister64::kN; ++i) os << e.x_[i] << ' ';
  return os << e.p_;
}

std::istream& operator>>(std::istream& is, MersenneTwister64& e) {
  MersenneTwister64 read;
  for (std::size_t i = 0; i < MersenneTwister64::kN; ++i) is >> read.x_[i];
  is >> read.p_;
  if (is && read.p_ <= MersenneTwister64::kN) e = read;
  else is.setstate(std::ios::failbit);
  return is;
}

void Rng::uniforms(double* out, std::size_t n) {
  std::uint64_t bits[256];
  while (n > 0) {
    const std::size_t m = std::min<std::size_t>(n, 256);
    engine_.generate(bits, m);
    for (std::size_t i = 0; i < m; ++i) out[i] = double(bits[i] >> 11) * (1.0 / 9007199254740992.0);
    out += m, n -= m;
  }
}

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
