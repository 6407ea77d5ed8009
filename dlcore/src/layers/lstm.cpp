#include "dlcore/layers/lstm.hpp"

#include "dlcore/core/vmath.hpp"
#include "recurrent_impl.hpp"

namespace dl {

template <class T>
void LSTMCell<T>::forward(const CellForward<T>& s) {
  const std::size_t H = s.H;
  for (std::size_t r = 0; r < s.rows; ++r) {
    //! [lstm_step]
    T* a = s.a + r * 4 * H;        // [a^i a^f a^g a^o] of this row
    sigmoid_inplace(a, 2 * H);     // i = sigma(a^i), f = sigma(a^f)
    tanh_inplace(a + 2 * H, H);    // g = tanh(a^g)
    sigmoid_inplace(a + 3 * H, H); // o = sigma(a^o)
    const T *i = a, *f = a + H, *g = a + 2 * H, *o = a + 3 * H;
    const T* c_prev = s.c_prev + r * H;
    T *c = s.c + r * H, *tc = s.aux + r * H, *h = s.h + r * H;
    DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) c[j] = f[j] * c_prev[j] + i[j] * g[j];  // c_t = f c_{t-1} + i g
    tanh_into(c, tc, H);                                                         // tanh(c_t), kept
    DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) h[j] = o[j] * tc[j];        // h_t = o tanh(c_t)
    //! [lstm_step]
  }
}

template <class T>
void LSTMCell<T>::backward(const CellBackward<T>& s) {
  const std::size_t H = s.H;
  for (std::size_t r = 0; r < s.rows; ++r) {
    //! [lstm_step_backward]
    const T* a = s.gates + r * 4 * H;
    const T *i = a, *f = a + H, *g = a + 2 * H, *o = a + 3 * H;
    const T *tc = s.aux + r * H, *c_prev = s.c_prev + r * H;
    const T *dh = s.dh + r * H, *dc_next = s.dc + r * H;
    T* da = s.dax + r * 4 * H;
    T *di = da, *df = da + H, *dg = da + 2 * H, *d_o = da + 3 * H;
    T* dc_prev = s.dc_prev + r * H;
    DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) {
      const T dc = dc_next[j] + dh[j] * o[j] * (T(1) - tc[j] * tc[j]);  // dL/dc_t
      di[j] = dc * g[j] * i[j] * (T(1) - i[j]);                          // dL/da^i
      df[j] = dc * c_prev[j] * f[j] * (T(1) - f[j]);                     // dL/da^f
      dg[j] = dc * i[j] * (T(1) - g[j] * g[j]);                          // dL/da^g
      d_o[j] = dh[j] * tc[j] * o[j] * (T(1) - o[j]);                     // dL/da^o
      dc_prev[j] = dc * f[j];                                            // dL/dc_{t-1}
    }
    //! [lstm_step_backward]
  }
}

template struct LSTMCell<float>;
template struct LSTMCell<double>;
template struct Recurrent<float, LSTMCell<float>>;
template struct Recurrent<double, LSTMCell<double>>;

}  // namespace dl
