#include "dlcore/core/rows.hpp"

#include <algorithm>

#include "dlcore/core/error.hpp"

namespace dl {

template <class T>
Tensor2<T> repeat_rows(const Tensor1<T>& b, std::size_t n) {
  const std::size_t D = b.size();
  Tensor2<T> y = Tensor2<T>::from_shape({n, D});
  for (std::size_t i = 0; i < n; ++i) std::copy(b.begin(), b.end(), y.data() + i * D);
  return y;
}

template <class T>
void add_column_sums(const Tensor2<T>& g, Tensor1<T>& db) {
  const std::size_t N = g.shape(0), D = g.shape(1);
  if (db.size() != D)
    throw ShapeError("add_column_sums: " + std::to_string(D) + " columns into a vector of " +
                     std::to_string(db.size()));
  T* out = db.data();
  for (std::size_t i = 0; i < N; ++i) {
    const T* row = g.data() + i * D;
    for (std::size_t j = 0; j < D; ++j) out[j] += row[j];
  }
}

template <class T>
Labels argmax_rows(const Tensor2<T>& x) {
  const std::size_t N = x.shape(0), D = x.shape(1);
  Labels y = Labels::from_shape({N});
  for (std::size_t i = 0; i < N; ++i) {
    const T* row = x.data() + i * D;
    y(i) = std::int32_t(std::max_element(row, row + D) - row);
  }
  return y;
}

template Tensor2<float> repeat_rows(const Tensor1<float>&, std::size_t);
template Tensor2<double> repeat_rows(const Tensor1<double>&, std::size_t);
template void add_column_sums(const Tensor2<float>&, Tensor1<float>&);
template void add_column_sums(const Tensor2<double>&, Tensor1<double>&);
template Labels argmax_rows(const Tensor2<float>&);
template Labels argmax_rows(const Tensor2<double>&);

}  // namespace dl
