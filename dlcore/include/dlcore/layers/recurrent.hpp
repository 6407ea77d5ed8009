#pragma once
/// \file
/// The recurrent engine shared by RNN, LSTM and GRU: a whole sequence batch forward, and
/// backpropagation through time backward. What differs between the three is only the cell's
/// elementwise step (rnn.hpp, lstm.hpp, gru.hpp); the matrix products, the masking of
/// finished sequences and the time loops are here.
///
/// Shapes (docs/appendix_notation.md): X (T, N, D), Y (T, N, H), states h, c (N, H); a cell
/// with G gates has W_ih (G H, D), W_hh (G H, H), b_ih and b_hh (G H): PyTorch's layout
/// (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`), so weights copy both ways.
///
/// Speed by construction (@ref ch18_lstm_gru "Chapter 18, speed"):
/// - the input projections of all T steps are one GEMM, (T N, D) x (D, G H);
/// - each step is one GEMM with all gates fused, (N, H) x (H, G H), then one elementwise pass;
/// - the weight gradients of all steps are one GEMM each after the backward loop;
/// - the rows of a batch never interact, so the threads split the batch and run their own
///   time loops without meeting once per step.

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// Initial or final state of a recurrent layer: h (N, H) and, for the LSTM, the cell state
/// c (N, H). An empty tensor means zeros (as an initial state) or "no gradient arrives"
/// (as a final-state gradient).
template <class T>
struct RecurrentState {
  Tensor2<T> h, c;
};

/// What backward_full() returns: dL/dX (empty when input_grad is false) and the gradients of
/// the initial state h0 (and c0 for the LSTM).
template <class T>
struct RecurrentGrads {
  Tensor3<T> dx;
  Tensor2<T> dh0, dc0;
};

/// One step of a cell for a block of `rows` consecutive rows of the batch: what
/// Cell::forward reads and writes. Every pointer is a contiguous row-major block.
template <class T>
struct CellForward {
  std::size_t rows, H;
  /// In: pre-activations (rows, G H), \f$ x_t W_{ih}^\top + b_{ih} \f$ plus, unless the cell
  /// keeps it apart (split_h), \f$ h_{t-1} W_{hh}^\top + b_{hh} \f$. Out: the gate activations.
  T* a;
  const T* hw;      ///< split_h cells: \f$ h_{t-1} W_{hh}^\top + b_{hh} \f$ (rows, G H)
  T* aux;           ///< has_aux cells: one more value per unit kept for backward (rows, H)
  const T* h_prev;  ///< \f$ h_{t-1} \f$ (rows, H)
  T* h;             ///< out: \f$ h_t \f$ (rows, H)
  const T* c_prev;  ///< has_c cells: \f$ c_{t-1} \f$
  T* c;             ///< has_c cells, out: \f$ c_t \f$
};

/// One step of a cell backward, for a block of rows: from dL/dh_t (and dL/dc_t) to the
/// gradients of the step's pre-activations and of the previous state.
template <class T>
struct CellBackward {
  std::size_t rows, H;
  const T* gates;   ///< the gate activations forward kept (rows, G H)
  const T* aux;     ///< has_aux: what forward kept in aux
  const T* h_prev;  ///< \f$ h_{t-1} \f$
  const T* c_prev;  ///< has_c: \f$ c_{t-1} \f$
  const T* dh;      ///< \f$ \partial L/\partial h_t \f$ (rows, H), everything that reaches h_t
  const T* dc;      ///< has_c: \f$ \partial L/\partial c_t \f$ from step t+1
  T* dax;  ///< out: gradient of the input-side pre-activations (rows, G H)
  T* dah;  ///< split_h, out: gradient of \f$ h_{t-1} W_{hh}^\top + b_{hh} \f$; otherwise dax itself
  T* dh_direct;  ///< split_h, out: the part of \f$ \partial L/\partial h_{t-1} \f$ not through W_hh
  T* dc_prev;    ///< has_c, out: \f$ \partial L/\partial c_{t-1} \f$
};

/// "lengths: 3 sequences for a batch of 4", "lengths: sequence 2 has length 0 ...": every
/// length must be in [1, T], one per sequence. Empty lengths mean "all T".
void check_lengths(const std::string& who, const Lengths& lengths, std::size_t T, std::size_t N);

/// A recurrent layer over a sequence batch: Cell is RNNCell, LSTMCell or GRUCell.
///
/// Forward runs t = 0 ... T-1: \f$ h_t, c_t = \text{cell}(x_t W_{ih}^\top + b_{ih},\;
/// h_{t-1} W_{hh}^\top + b_{hh},\; c_{t-1}) \f$, and returns every \f$ h_t \f$.
/// Backward runs t = T-1 ... 0, carrying \f$ \partial L/\partial h_t \f$ (and
/// \f$ \partial L/\partial c_t \f$) back one step at a time (backpropagation through time).
///
/// Variable lengths: sequence n has L_n valid steps. At steps t >= L_n its state is carried
/// unchanged (h_t = h_{t-1}, c_t = c_{t-1}), its output is 0 and no gradient enters there, so
/// each sequence of a padded batch gets exactly the result it would get alone, and the final
/// state is the state after its own last step (PyTorch's packed sequences).
template <class T, class Cell>
struct Recurrent {
  static constexpr std::size_t G = Cell::gates;  ///< gates per hidden unit

  Tensor2<T> W_ih;   ///< input weights (G H, D), gate blocks stacked in Cell's order
  Tensor2<T> W_hh;   ///< recurrent weights (G H, H)
  Tensor1<T> b_ih;   ///< input bias (G H)
  Tensor1<T> b_hh;   ///< recurrent bias (G H)
  Tensor2<T> dW_ih, dW_hh;  ///< gradients, accumulated by backward(); zeroed once per step
  Tensor1<T> db_ih, db_hh;
  /// When false, backward() skips dL/dX (the first layer of a network needs none).
  bool input_grad = true;

  /// Everything backward needs, one slab per time step: slab t of each tensor is step t's
  /// cache (the rows of a batch are contiguous within a slab).
  struct Cache {
    Tensor3<T> x;      ///< the input (T, N, D), for dW_ih
    Tensor3<T> gates;  ///< the cell's gate activations (T, N, G H)
    Tensor3<T> aux;    ///< one more value per unit and step: LSTM tanh(c_t), GRU W_hn h + b_hn
    Tensor3<T> h;      ///< hidden states (T + 1, N, H): h_0 (the initial state) ... h_T
    Tensor3<T> c;      ///< LSTM cell states (T + 1, N, H): c_0 ... c_T; empty otherwise
    Lengths lengths;   ///< valid steps per sequence; empty when every sequence has T
    /// The final state (after each sequence's last valid step): h_T and c_T.
    RecurrentState<T> final_state() const;
  };

  Recurrent() = default;
  /// Every weight and bias from U(-1/sqrt(H), 1/sqrt(H)), PyTorch's default for its
  /// recurrent layers.
  Recurrent(std::size_t d_in, std::size_t hidden, Rng& rng);

  std::size_t d_in() const { return W_ih.shape(1); }
  std::size_t hidden() const { return W_hh.shape(1); }

  /// Y (T, N, H) from X (T, N, D) with a zero initial state; sequence lengths from
  /// ctx.lengths (none: all T). What Sequential calls.
  Tensor3<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  /// The general form: initial state `init` (empty tensors: zeros) and optional lengths.
  /// The final state is cache.final_state().
  Tensor3<T> run(const Tensor3<T>& x, const RecurrentState<T>& init, const Lengths* lengths,
                 Cache& cache) const;

  /// dL/dX from dL/dY (T, N, H); accumulates the parameter gradients. What Sequential calls.
  Tensor3<T> backward(const Tensor3<T>& dy, const Cache& cache);
  /// The general form: `dfinal` is the gradient arriving at the final state from later
  /// computation (empty tensors: none), e.g. a decoder that starts from it, or
  /// truncated BPTT's next chunk. Returns dX and the initial state's gradients.
  RecurrentGrads<T> backward_full(const Tensor3<T>& dy, const RecurrentState<T>& dfinal,
                                  const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "LSTM(28 -> 128)"
};

}  // namespace dl
