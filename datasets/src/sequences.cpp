#include "datasets/sequences.hpp"

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace datasets {

template <class T>
dl::Dataset<dl::Tensor3<T>, dl::Tensor2<T>> adding_problem(std::size_t n, std::size_t steps,
                                                           dl::Rng& rng) {
  if (steps < 2) throw dl::ValueError(fmt::format("adding_problem: needs T >= 2 steps, got {}", steps));
  dl::Dataset<dl::Tensor3<T>, dl::Tensor2<T>> d;
  d.X = xt::zeros<T>({steps, n, std::size_t(2)});
  d.y = dl::Tensor2<T>::from_shape({n, 1});
  const std::size_t half = steps / 2;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < steps; ++t) d.X(t, i, 0) = T(rng.uniform());
    const std::size_t a = rng.below(half), b = half + rng.below(steps - half);
    d.X(a, i, 1) = d.X(b, i, 1) = T(1);
    d.y(i, 0) = d.X(a, i, 0) + d.X(b, i, 0);
  }
  return d;
}

template <class T>
dl::Dataset<dl::Tensor3<T>, dl::Labels> copy_task(std::size_t n, std::size_t delay,
                                                  std::size_t symbols, std::size_t K,
                                                  dl::Rng& rng) {
  if (delay < 1 || symbols < 1 || K < 2)
    throw dl::ValueError(fmt::format("copy_task: needs delay >= 1, symbols >= 1 and K >= 2, got "
                                     "delay {}, symbols {}, K {}", delay, symbols, K));
  const std::size_t steps = delay + 2 * symbols, codes = K + 2;
  dl::Dataset<dl::Tensor3<T>, dl::Labels> d;
  d.X = xt::zeros<T>({steps, n, codes});
  d.y = dl::Labels::from_shape({symbols * n});
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t s = 0; s < symbols; ++s) {  // the symbols to remember
      const std::size_t k = rng.below(K);
      d.X(s, i, 1 + k) = T(1);
      d.y(s * n + i) = std::int32_t(k);
    }
    for (std::size_t t = symbols; t < steps; ++t) d.X(t, i, 0) = T(1);  // blanks ...
    const std::size_t mark = symbols + delay - 1;                        // ... and the delimiter
    d.X(mark, i, 0) = T(0);
    d.X(mark, i, K + 1) = T(1);
  }
  return d;
}

template dl::Dataset<dl::Tensor3<float>, dl::Tensor2<float>> adding_problem(std::size_t, std::size_t, dl::Rng&);
template dl::Dataset<dl::Tensor3<double>, dl::Tensor2<double>> adding_problem(std::size_t, std::size_t, dl::Rng&);
template dl::Dataset<dl::Tensor3<float>, dl::Labels> copy_task(std::size_t, std::size_t, std::size_t, std::size_t, dl::Rng&);
template dl::Dataset<dl::Tensor3<double>, dl::Labels> copy_task(std::size_t, std::size_t, std::size_t, std::size_t, dl::Rng&);

}  // namespace datasets
