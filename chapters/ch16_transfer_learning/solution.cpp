// Exercise 16.1 -- reference solution.
#include "exercise.hpp"

#include <limits>
#include <vector>

namespace ch16 {

dl::Labels nearest_class_mean(const dl::Tensor2<float>& F_train, const dl::Labels& y_train,
                              std::size_t K, const dl::Tensor2<float>& F_test) {
  const std::size_t N = F_train.shape(0), D = F_train.shape(1);
  // the class means m_k
  std::vector<double> mean(K * D, 0.0);
  std::vector<std::size_t> count(K, 0);
  for (std::size_t i = 0; i < N; ++i) {
    const std::size_t k = std::size_t(y_train(i));
    ++count[k];
    for (std::size_t d = 0; d < D; ++d) mean[k * D + d] += F_train(i, d);
  }
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t d = 0; d < D; ++d) mean[k * D + d] /= double(count[k]);
  // argmin_k ||f - m_k||^2 for every test row
  dl::Labels predicted = xt::zeros<std::int32_t>({F_test.shape(0)});
  for (std::size_t i = 0; i < F_test.shape(0); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < K; ++k) {
      double dist = 0;
      for (std::size_t d = 0; d < D; ++d) {
        const double diff = F_test(i, d) - mean[k * D + d];
        dist += diff * diff;
      }
      if (dist < best) {
        best = dist;
        predicted(i) = std::int32_t(k);
      }
    }
  }
  return predicted;
}

}  // namespace ch16
