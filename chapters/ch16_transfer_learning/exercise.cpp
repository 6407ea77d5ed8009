// Exercise 16.1 -- your answer goes here (see exercise.hpp and
// docs/ch16_transfer_learning.md).
#include "exercise.hpp"

namespace ch16 {

dl::Labels nearest_class_mean(const dl::Tensor2<float>& F_train, const dl::Labels& y_train,
                              std::size_t K, const dl::Tensor2<float>& F_test) {
  dl::Labels predicted = xt::zeros<std::int32_t>({F_test.shape(0)});
  // TODO: average the rows of F_train per class, then label each row of F_test with the
  // class of the nearest mean.
  return predicted;
}

}  // namespace ch16
