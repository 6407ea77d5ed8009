#pragma once
/// \file
/// The one random number generator of a run. It is passed explicitly to whatever needs
/// randomness (initialisers, shuffling, dropout, data generators), so a seed fixes a run.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace dl {

/// MT19937-64 (Matsumoto & Nishimura), the engine of std::mt19937_64, written out so that
/// its state refill is branch-free: libstdc++'s picks the twist matrix with a branch on a
/// random bit, mispredicted half the time, which made a draw cost about 6 ns here (dropout
/// draws one per activation). Same numbers as std::mt19937_64 for the same seed, and the
/// same text form of the state (the 312 words, then the position), so checkpoints written
/// with either read back in both.
class MersenneTwister64 {
 public:
  static constexpr std::size_t kN = 312;
  explicit MersenneTwister64(std::uint64_t seed = 5489u);
  std::uint64_t operator()() {
    if (p_ >= kN) refill();
    return temper(x_[p_++]);
  }
  /// The next n numbers, as n calls of operator() would give them (a loop that vectorises).
  void generate(std::uint64_t* out, std::size_t n);
  friend std::ostream& operator<<(std::ostream& os, const MersenneTwister64& e);
  friend std::istream& operator>>(std::istream& is, MersenneTwister64& e);

 private:
  static std::uint64_t temper(std::uint64_t y) {
    y ^= (y >> 29) & 0x5555555555555555ULL;
    y ^= (y << 17) & 0x71D67FFFEDA60000ULL;
    y ^= (y << 37) & 0xFFF7EEE000000000ULL;
    return y ^ (y >> 43);
  }
  void refill();  // the twist: the next kN words of state
  std::uint64_t x_[kN];
  std::size_t p_ = kN;
};

/// A seeded 64-bit Mersenne Twister with the few draws the book needs. The draws are
/// written out (not std:: distributions) so the numbers are the same with any standard
/// library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 42) : engine_(seed) {}

  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return double(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  /// n uniforms in [0, 1), the same as n calls of uniform() (dropout's masks draw them so).
  void uniforms(double* out, std::size_t n);
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal (Box-Muller; both values are used).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  /// Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n);
  /// A random permutation of 0..n-1 (Fisher-Yates).
  std::vector<std::size_t> permutation(std::size_t n);
  /// Bernoulli(p).
  bool bernoulli(double p) { return uniform() < p; }

  /// The complete state as text, for checkpoints; restore() reads it back.
  std::string state() const;
  void restore(const std::string& state);

 private:
  MersenneTwister64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace dl
