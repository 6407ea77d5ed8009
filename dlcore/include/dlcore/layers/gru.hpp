#pragma once
/// \file
/// Gated recurrent unit (Cho et al. 2014) over a sequence batch, in the form cuDNN and
/// PyTorch use. Derivation, and how it differs from the paper's form: @ref ch18_lstm_gru
/// "Chapter 18".

#include "dlcore/layers/rnn.hpp"

namespace dl {

/// The GRU cell, gate order r, z, n as torch.nn.GRU:
/// \f[ r = \sigma(x W_{ir}^\top + b_{ir} + h_{t-1} W_{hr}^\top + b_{hr}),\quad
///     z = \sigma(x W_{iz}^\top + b_{iz} + h_{t-1} W_{hz}^\top + b_{hz}), \f]
/// \f[ n = \tanh\big(x W_{in}^\top + b_{in} + r \odot (h_{t-1} W_{hn}^\top + b_{hn})\big),\quad
///     h_t = (1 - z) \odot n + z \odot h_{t-1}. \f]
/// The reset gate multiplies \f$ h_{t-1} W_{hn}^\top + b_{hn} \f$ after the product (Cho et
/// al. apply it to \f$ h_{t-1} \f$ before), so the recurrent side \f$ h W_{hh}^\top + b_{hh} \f$
/// is kept apart from the input side (split_h) and \f$ hn = h_{t-1} W_{hn}^\top + b_{hn} \f$ is
/// kept for backward (aux). Backward: \f$ \delta n = \delta h (1-z) \f$,
/// \f$ \delta z = \delta h (h_{t-1} - n) \f$, \f$ \delta a^n = \delta n (1 - n^2) \f$,
/// \f$ \delta r = \delta a^n \odot hn \f$; the recurrent side's n block gets
/// \f$ \delta a^n \odot r \f$, and \f$ h_{t-1} \f$ also receives \f$ \delta h \odot z \f$ directly.
template <class T>
struct GRUCell {
  static constexpr std::size_t gates = 3;
  static constexpr bool has_c = false, has_aux = true /* hn */, split_h = true;
  static constexpr const char* name = "GRU";
  static void forward(const CellForward<T>& s);
  static void backward(const CellBackward<T>& s);
};

/// GRU layer: X (T, N, D) -> Y (T, N, H); W_ih (3H, D), W_hh (3H, H), b_ih, b_hh (3H).
template <class T>
using GRU = Recurrent<T, GRUCell<T>>;

extern template struct Recurrent<float, GRUCell<float>>;
extern template struct Recurrent<double, GRUCell<double>>;

}  // namespace dl
