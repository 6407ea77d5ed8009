#include "dlcore/layers/rnn.hpp"

#include "dlcore/core/vmath.hpp"
#include "recurrent_impl.hpp"

namespace dl {

template <class T>
void RNNCell<T>::forward(const CellForward<T>& s) {
  //! [rnn_step]
  const std::size_t n = s.rows * s.H;
  tanh_inplace(s.a, n);                // a = x W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh  ->  tanh(a)
  std::copy(s.a, s.a + n, s.h);        // h_t = tanh(a)
  //! [rnn_step]
}

template <class T>
void RNNCell<T>::backward(const CellBackward<T>& s) {
  //! [rnn_step_backward]
  const std::size_t n = s.rows * s.H;
  DL_VECTORIZE for (std::size_t k = 0; k < n; ++k)  // dL/da = dL/dh_t (1 - h_t^2)
    s.dax[k] = s.dh[k] * (T(1) - s.gates[k] * s.gates[k]);
  //! [rnn_step_backward]
}

template struct RNNCell<float>;
template struct RNNCell<double>;
template struct Recurrent<float, RNNCell<float>>;
template struct Recurrent<double, RNNCell<double>>;

}  // namespace dl
