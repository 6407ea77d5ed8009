#include "dlcore/layers/linear.hpp"

#include "dlcore/core/check.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/core/rows.hpp"

namespace dl {

template <class T>
Linear<T>::Linear(std::size_t d_in, std::size_t d_out, Rng& rng, Init init)
    : W(Tensor2<T>::from_shape({d_in, d_out})),
      b(Tensor1<T>::from_shape({d_out})),
      dW(Tensor2<T>::from_shape({d_in, d_out})),
      db(Tensor1<T>::from_shape({d_out})) {
  init_weights(W, init, d_in, d_out, rng);
  b.fill(T(0));
  dW.fill(T(0));
  db.fill(T(0));
}

template <class T>
Tensor2<T> Linear<T>::forward(const Tensor2<T>& x, Cache& cache) const {
  check_cols("Linear", "input X", x, d_in());
  //! [linear_forward]
  cache.x = x;                                   // keep X for dW
  Tensor2<T> y = repeat_rows(b, x.shape(0));    // Y = 1 b^T
  gemm(x, W, y, Op::N, Op::N, T(1), T(1));       // Y += X W
  //! [linear_forward]
  return y;
}

template <class T>
Tensor2<T> Linear<T>::backward(const Tensor2<T>& dy, const Cache& cache) {
  check_shape("Linear", "gradient dY", dy, {cache.x.shape(0), d_out()});
  check_grad("Linear", "W", W, dW);
  check_grad("Linear", "b", b, db);
  Tensor2<T> dx;
  //! [linear_backward]
  auto weight_grads = [&] {
    gemm(cache.x, dy, dW, Op::T, Op::N, T(1), T(1));   // dW += X^T G
    add_column_sums(dy, db);                           // db += 1^T G
  };
  auto input_grads = [&] {
    if (input_grad) gemm(dy, W, dx, Op::N, Op::T);     // dX  = G W^T
  };
  //! [linear_backward]
  // The two products are independent. Where BLAS runs on one thread and the pool on more
  // (the CNN chapters), each takes a core of its own: the same two calls as one after the
  // other, so the same results bit for bit (splitting one product would change OpenBLAS's
  // blocking and with it the rounding).
  const double flops = 2.0 * double(dy.size()) * double(d_in());
  if (input_grad && num_threads() == 1 && parallel_threads() > 1 && flops >= kMinParallelFlops)
    parallel_for(2, [&](std::size_t task, std::size_t, std::size_t) {
      if (task == 0) weight_grads(); else input_grads();
    }, 2);
  else
    weight_grads(), input_grads();
  return dx;
}

template <class T>
std::vector<ParamRef<T>> Linear<T>::params() {
  return {param_ref<T>("W", W, dW), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string Linear<T>::describe() const {
  return "Linear(" + std::to_string(d_in()) + " -> " + std::to_string(d_out()) + ")";
}

template struct Linear<float>;
template struct Linear<double>;

}  // namespace dl
