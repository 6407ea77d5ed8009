#pragma once
/// \file
/// Bidirectional recurrent layers: one recurrent layer reads each sequence left to right,
/// a second one right to left, and the output at step t is both states side by side, so
/// that every step sees its whole sequence. Derivation: @ref ch21_bidirectional
/// "Chapter 21, bidirectional layers".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/gru.hpp"
#include "dlcore/layers/lstm.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

/// \f$ \overleftarrow{X} \f$: every sequence of a batch reversed within its own length,
/// \f$ \overleftarrow{X}_{t,n} = X_{L_n - 1 - t,\, n} \f$ for \f$ t < L_n \f$ and 0 at the padded
/// steps \f$ t \ge L_n \f$ (no lengths: all T). X (T, N, D), any width D. Applied twice it gives
/// X back (on the valid steps), so it maps the reversed layer's outputs back to the
/// original order too.
template <class T>
Tensor3<T> reverse_within_lengths(const Tensor3<T>& x, const Lengths* lengths);

/// The states of both directions (initial states, or the gradients of the final ones):
/// empty tensors mean zeros (or "no gradient"), as for dl::RecurrentState.
template <class T>
struct BidirectionalState {
  RecurrentState<T> fwd;  ///< of the left-to-right layer
  RecurrentState<T> bwd;  ///< of the right-to-left layer
};

/// What backward_full() returns: dL/dX (empty when input_grad is false) and the gradients
/// of both initial states.
template <class T>
struct BidirectionalGrads {
  Tensor3<T> dx;
  RecurrentGrads<T> fwd, bwd;  ///< dh0 (and dc0) of each direction; their dx is empty
};

/// Bidirectional wrapper around a recurrent layer (Schuster & Paliwal 1997):
/// \f[ \overrightarrow{h}_t = \text{cell}(x_t, \overrightarrow{h}_{t-1}),\quad
///     \overleftarrow{h}_t = \text{cell}'(x_t, \overleftarrow{h}_{t+1}),\quad
///     y_t = [\,\overrightarrow{h}_t ;\ \overleftarrow{h}_t\,], \f]
/// two layers with their own weights. The right-to-left pass is the ordinary layer run over
/// \f$ \overleftarrow{X} \f$ (reverse_within_lengths), its outputs reversed back: for a padded
/// batch, sequence n's backward pass starts at its own last step \f$ L_n - 1 \f$, never at the
/// padding. Backward splits \f$ \partial L/\partial Y \f$ into its two halves, runs each layer's
/// BPTT (the reversed half reversed again) and adds the two input gradients:
/// \f$ \partial L/\partial x_t = \overrightarrow{\delta x}_t + \overleftarrow{\delta x}_t \f$.
///
/// Shapes: X (T, N, D), Y (T, N, 2H), steps t >= L_n of Y are 0. Parameters as PyTorch's
/// `bidirectional=True` (weight_ih_l0 and weight_ih_l0_reverse, ...), so weights copy both
/// ways and the final states are PyTorch's h_n[0] (left to right) and h_n[1].
template <class T, class Cell>
struct Bidirectional {
  Recurrent<T, Cell> fwd;  ///< reads t = 0, 1, ..., L_n - 1 (PyTorch's *_l0)
  Recurrent<T, Cell> bwd;  ///< reads t = L_n - 1, ..., 0 (PyTorch's *_l0_reverse)
  /// When false, backward() skips dL/dX (the first layer of a network needs none).
  bool input_grad = true;

  struct Cache {
    typename Recurrent<T, Cell>::Cache fwd;  ///< the left-to-right layer's cache
    typename Recurrent<T, Cell>::Cache bwd;  ///< the right-to-left layer's, over reversed X
    Lengths lengths;                         ///< empty: every sequence has all T steps
  };

  Bidirectional() = default;
  /// Both layers initialised as Recurrent's constructor does (the left-to-right one first).
  Bidirectional(std::size_t d_in, std::size_t hidden, Rng& rng);

  std::size_t d_in() const { return fwd.d_in(); }
  std::size_t hidden() const { return fwd.hidden(); }  ///< H per direction; Y has 2H

  /// Y (T, N, 2H) from X (T, N, D) with zero initial states, lengths from ctx.lengths.
  Tensor3<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  /// The general form: initial states of both directions and optional lengths. The final
  /// states are cache.fwd.final_state() (after step L_n - 1) and cache.bwd.final_state()
  /// (after step 0).
  Tensor3<T> run(const Tensor3<T>& x, const BidirectionalState<T>& init, const Lengths* lengths,
                 Cache& cache) const;

  /// dL/dX from dL/dY (T, N, 2H); accumulates both layers' parameter gradients.
  Tensor3<T> backward(const Tensor3<T>& dy, const Cache& cache);
  /// With gradients arriving at the final states of both directions (empty: none); returns
  /// dX and the gradients of both initial states.
  BidirectionalGrads<T> backward_full(const Tensor3<T>& dy, const BidirectionalState<T>& dfinal,
                                      const Cache& cache);

  /// W_ih, W_hh, b_ih, b_hh of the left-to-right layer, then the same with "_reverse".
  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "BiLSTM(32 -> 2x64)"
};

template <class T> using BiRNN = Bidirectional<T, RNNCell<T>>;
template <class T> using BiLSTM = Bidirectional<T, LSTMCell<T>>;
template <class T> using BiGRU = Bidirectional<T, GRUCell<T>>;

extern template struct Bidirectional<float, RNNCell<float>>;
extern template struct Bidirectional<double, RNNCell<double>>;
extern template struct Bidirectional<float, LSTMCell<float>>;
extern template struct Bidirectional<double, LSTMCell<double>>;
extern template struct Bidirectional<float, GRUCell<float>>;
extern template struct Bidirectional<double, GRUCell<double>>;

}  // namespace dl
