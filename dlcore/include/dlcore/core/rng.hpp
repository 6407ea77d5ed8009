#pragma once
/// \file
/// The one random number generator of a run. It is passed explicitly to whatever needs
/// randomness (initialisers, shuffling, dropout, data generators), so a seed fixes a run.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace dl {

/// A seeded 64-bit Mersenne Twister with the few draws the book needs. The draws are
/// written out (not std:: distributions) so the numbers are the same with any standard
/// library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 42) : engine_(seed) {}

  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return double(engine_() >> 11) * (1.0 / 9007199254740992.0); }
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
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace dl
