#include "dlcore/losses/categorical_cross_entropy.hpp"

#include <cmath>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
T CategoricalCrossEntropy<T>::forward(const Tensor2<T>& p, const Tensor2<T>& t,
                                      Cache& cache) const {
  check_same_shape("CategoricalCrossEntropy", "probabilities", p, "targets", t);
  if (p.shape(0) == 0)
    throw ShapeError("CategoricalCrossEntropy: probabilities have shape " + shape_str(p.shape()) +
                     ", expected (N>0, K)");
  T loss = 0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (t.data()[i] != T(0)) loss -= t.data()[i] * std::log(p.data()[i]);  // -t log p, 0 log 0 = 0
  cache.p = p;
  cache.t = t;
  return loss / T(p.shape(0));
}

template <class T>
Tensor2<T> CategoricalCrossEntropy<T>::backward(const Cache& cache) const {
  const T n = T(cache.p.shape(0));
  Tensor2<T> dp = Tensor2<T>::from_shape(cache.p.shape());
  for (std::size_t i = 0; i < dp.size(); ++i) {
    const T t = cache.t.data()[i];
    //! [categorical_ce_backward]
    dp.data()[i] = t != T(0) ? -t / (n * cache.p.data()[i]) : T(0);  // -t / (N p): divides by p
    //! [categorical_ce_backward]
  }
  return dp;
}

template <class T>
Tensor2<T> one_hot(const Labels& y, std::size_t K) {
  check_labels("one_hot", y, y.size(), K);
  Tensor2<T> e = xt::zeros<T>({y.size(), K});
  for (std::size_t i = 0; i < y.size(); ++i) e(i, std::size_t(y(i))) = T(1);
  return e;
}

template struct CategoricalCrossEntropy<float>;
template struct CategoricalCrossEntropy<double>;
template Tensor2<float> one_hot<float>(const Labels&, std::size_t);
template Tensor2<double> one_hot<double>(const Labels&, std::size_t);

}  // namespace dl
