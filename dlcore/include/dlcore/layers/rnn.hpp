#pragma once
/// \file
/// The Elman RNN (tanh cell) over a sequence batch. Derivation of its backward pass through
/// time: @ref ch17_rnn_bptt "Chapter 17".

#include "dlcore/layers/recurrent.hpp"

namespace dl {

/// The tanh cell: \f$ h_t = \tanh(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}) \f$
/// (torch.nn.RNN with nonlinearity='tanh'). Backward:
/// \f$ \partial L/\partial a_t = \partial L/\partial h_t \odot (1 - h_t^2) \f$.
///
/// A cell is the elementwise part of one step; Recurrent does the rest. Its interface:
/// `gates` (G), whether it has a cell state (`has_c`), keeps one more value per unit
/// (`has_aux`) or keeps \f$ h W_{hh}^\top + b_{hh} \f$ apart from the input side
/// (`split_h`), its `name`, and static `forward(CellForward&)`, `backward(CellBackward&)`.
template <class T>
struct RNNCell {
  static constexpr std::size_t gates = 1;
  static constexpr bool has_c = false, has_aux = false, split_h = false;
  static constexpr const char* name = "RNN";
  static void forward(const CellForward<T>& s);
  static void backward(const CellBackward<T>& s);
};

/// Elman RNN layer: X (T, N, D) -> Y (T, N, H), PyTorch's parameters W_ih (H, D),
/// W_hh (H, H), b_ih, b_hh (H).
template <class T>
using RNN = Recurrent<T, RNNCell<T>>;

extern template struct Recurrent<float, RNNCell<float>>;
extern template struct Recurrent<double, RNNCell<double>>;

}  // namespace dl
