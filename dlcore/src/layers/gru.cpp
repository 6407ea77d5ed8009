#include "dlcore/layers/gru.hpp"

#include "dlcore/core/vmath.hpp"
#include "recurrent_impl.hpp"

namespace dl {

template <class T>
void GRUCell<T>::forward(const CellForward<T>& s) {
  const std::size_t H = s.H;
  for (std::size_t r = 0; r < s.rows; ++r) {
    //! [gru_step]
    T* a = s.a + r * 3 * H;              // input side [x_r x_z x_n] (with b_ih)
    const T* hw = s.hw + r * 3 * H;      // recurrent side [h_r h_z h_n] (with b_hh)
    DL_VECTORIZE for (std::size_t j = 0; j < 2 * H; ++j) a[j] += hw[j];
    sigmoid_inplace(a, 2 * H);           // r, z
    const T *rg = a, *z = a + H, *hn = hw + 2 * H, *h_prev = s.h_prev + r * H;
    T *n = a + 2 * H, *h = s.h + r * H;
    std::copy(hn, hn + H, s.aux + r * H);                       // keep hn = h W_hn^T + b_hn
    DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) n[j] += rg[j] * hn[j];  // x_n + r hn
    tanh_inplace(n, H);                                         // n = tanh(x_n + r hn)
    DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) h[j] = n[j] + z[j] * (h_prev[j] - n[j]);  // (1-z) n + z h
    //! [gru_step]
  }
}

template <class T>
void GRUCell<T>::backward(const CellBackward<T>& s) {
  const std::size_t H = s.H;
  for (std::size_t r = 0; r < s.rows; ++r) {
    //! [gru_step_backward]
    const T* a = s.gates + r * 3 * H;
    const T *rg = a, *z = a + H, *n = a + 2 * H;
    const T *hn = s.aux + r * H, *h_prev = s.h_prev + r * H, *dh = s.dh + r * H;
    T *dax = s.dax + r * 3 * H, *dah = s.dah + r * 3 * H, *dh_direct = s.dh_direct + r * H;
    DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) {
      const T dan = dh[j] * (T(1) - z[j]) * (T(1) - n[j] * n[j]);      // dL/da^n
      const T dar = dan * hn[j] * rg[j] * (T(1) - rg[j]);              // dL/da^r
      const T daz = dh[j] * (h_prev[j] - n[j]) * z[j] * (T(1) - z[j]); // dL/da^z
      dax[j] = dah[j] = dar;
      dax[H + j] = dah[H + j] = daz;
      dax[2 * H + j] = dan;              // input side of n
      dah[2 * H + j] = dan * rg[j];      // recurrent side of n: through r * hn
      dh_direct[j] = dh[j] * z[j];       // h_t = ... + z h_{t-1}
    }
    //! [gru_step_backward]
  }
}

template struct GRUCell<float>;
template struct GRUCell<double>;
template struct Recurrent<float, GRUCell<float>>;
template struct Recurrent<double, GRUCell<double>>;

}  // namespace dl
