#pragma once
/// \file
/// Long short-term memory (Hochreiter & Schmidhuber 1997; with the forget gate of Gers,
/// Schmidhuber & Cummins 2000) over a sequence batch. Derivation: @ref ch18_lstm_gru
/// "Chapter 18".

#include "dlcore/layers/rnn.hpp"

namespace dl {

/// The LSTM cell, gate order i, f, g, o as torch.nn.LSTM. With
/// \f$ a_t = x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh} \f$ split into four blocks
/// of H:
/// \f[ i = \sigma(a^i),\ f = \sigma(a^f),\ g = \tanh(a^g),\ o = \sigma(a^o),\quad
///     c_t = f \odot c_{t-1} + i \odot g,\quad h_t = o \odot \tanh c_t. \f]
/// Backward, with \f$ \delta h = \partial L/\partial h_t \f$ and \f$ \delta c \f$ arriving
/// from step t+1: \f$ \delta c_t = \delta c + \delta h \odot o \odot (1 - \tanh^2 c_t) \f$,
/// then \f$ \delta a^i = \delta c_t\, g\, i(1-i) \f$, \f$ \delta a^f = \delta c_t\, c_{t-1} f(1-f) \f$,
/// \f$ \delta a^g = \delta c_t\, i (1-g^2) \f$, \f$ \delta a^o = \delta h \tanh c_t\, o(1-o) \f$,
/// and \f$ \partial L/\partial c_{t-1} = \delta c_t \odot f \f$: the cell state's gradient
/// path, multiplied only by the forget gate.
template <class T>
struct LSTMCell {
  static constexpr std::size_t gates = 4;
  static constexpr bool has_c = true, has_aux = true /* tanh(c_t) */, split_h = false;
  static constexpr const char* name = "LSTM";
  static void forward(const CellForward<T>& s);
  static void backward(const CellBackward<T>& s);
};

/// LSTM layer: X (T, N, D) -> Y (T, N, H); W_ih (4H, D), W_hh (4H, H), b_ih, b_hh (4H).
template <class T>
using LSTM = Recurrent<T, LSTMCell<T>>;

extern template struct Recurrent<float, LSTMCell<float>>;
extern template struct Recurrent<double, LSTMCell<double>>;

}  // namespace dl
