#pragma once
// The recurrent engine's definitions (declared in dlcore/layers/recurrent.hpp). Included by
// rnn.cpp, lstm.cpp and gru.cpp, which instantiate it for their cell in float and double.
//
// A cell supplies the elementwise part of one step for a block of rows (see rnn.hpp for the
// interface); everything else is here: the input projection of all steps, the recurrent
// GEMM of each step, masking of finished sequences, the backward loop and the weight
// gradients. Notation: T steps, N sequences, D inputs, H hidden units, G gates, GH = G H.

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/init.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

namespace rec {

// Pointer to row r of slab t of a (slabs, N, width) tensor.
template <class T, class E>
T* at(E& e, std::size_t t, std::size_t r) {
  return e.data() + (t * e.shape(1) + r) * e.shape(2);
}

// db[j] += the sum of column j of a (rows, cols) row-major block, for j in [j0, j1).
template <class T>
void add_column_sums(const T* g, std::size_t rows, std::size_t cols, std::size_t j0,
                     std::size_t j1, T* db) {
  for (std::size_t i = 0; i < rows; ++i) {
    const T* row = g + i * cols;
    for (std::size_t j = j0; j < j1; ++j) db[j] += row[j];
  }
}

// The smallest length among rows [r0, r1) (T when there are no lengths): steps before it
// need no masking in this block.
inline std::size_t min_length(const Lengths& lengths, std::size_t r0, std::size_t r1,
                              std::size_t T) {
  if (lengths.empty()) return T;
  return *std::min_element(lengths.begin() + std::ptrdiff_t(r0), lengths.begin() + std::ptrdiff_t(r1));
}

}  // namespace rec

template <class T, class Cell>
Recurrent<T, Cell>::Recurrent(std::size_t d_in, std::size_t hidden, Rng& rng)
    : W_ih(Tensor2<T>::from_shape({G * hidden, d_in})),
      W_hh(Tensor2<T>::from_shape({G * hidden, hidden})),
      b_ih(Tensor1<T>::from_shape({G * hidden})),
      b_hh(Tensor1<T>::from_shape({G * hidden})),
      dW_ih(Tensor2<T>::from_shape({G * hidden, d_in})),
      dW_hh(Tensor2<T>::from_shape({G * hidden, hidden})),
      db_ih(Tensor1<T>::from_shape({G * hidden})),
      db_hh(Tensor1<T>::from_shape({G * hidden})) {
  if (d_in == 0 || hidden == 0)
    throw ValueError(fmt::format("{}: needs at least one input and one hidden unit, got {} -> {}",
                                 Cell::name, d_in, hidden));
  // U(-1/sqrt(H), 1/sqrt(H)) for all four tensors, as torch.nn.RNN/LSTM/GRU
  init_weights(W_ih, Init::lecun_uniform, hidden, hidden, rng);
  init_weights(W_hh, Init::lecun_uniform, hidden, hidden, rng);
  const double a = 1.0 / std::sqrt(double(hidden));
  for (auto& v : b_ih) v = T(rng.uniform(-a, a));
  for (auto& v : b_hh) v = T(rng.uniform(-a, a));
  for (auto* g : {&dW_ih, &dW_hh}) g->fill(T(0));
  for (auto* g : {&db_ih, &db_hh}) g->fill(T(0));
}

template <class T, class Cell>
RecurrentState<T> Recurrent<T, Cell>::Cache::final_state() const {
  RecurrentState<T> s;
  if (h.dimension() != 3 || h.shape(0) == 0) return s;
  const std::size_t last = h.shape(0) - 1;
  s.h = xt::view(h, last, xt::all(), xt::all());
  if (Cell::has_c) s.c = xt::view(c, last, xt::all(), xt::all());
  return s;
}

template <class T, class Cell>
Tensor3<T> Recurrent<T, Cell>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  return run(x, RecurrentState<T>{}, ctx.lengths, cache);
}

template <class T, class Cell>
Tensor3<T> Recurrent<T, Cell>::run(const Tensor3<T>& x, const RecurrentState<T>& init,
                                   const Lengths* lengths, Cache& cache) const {
  const std::string who = describe();
  if (W_ih.size() == 0) throw ValueError(Cell::name + std::string(": forward on a layer without weights (default-constructed)"));
  if (x.shape(2) != d_in())
    throw ShapeError(fmt::format("{}: input X has shape {} but expected (T, N, {})", who,
                                 shape_str(x.shape()), d_in()));
  const std::size_t T_ = x.shape(0), N = x.shape(1), D = d_in(), H = hidden(), GH = G * H;
  if (T_ == 0 || N == 0) throw ShapeError(who + ": input X has shape " + shape_str(x.shape()) + ", an empty sequence batch");
  cache.lengths = lengths ? *lengths : Lengths{};
  check_lengths(who, cache.lengths, T_, N);
  if (init.h.size()) check_shape(who, "initial state h0", init.h, {N, H});
  if (init.c.size()) {
    if (!Cell::has_c) throw ValueError(who + ": only an LSTM has an initial cell state c0");
    check_shape(who, "initial state c0", init.c, {N, H});
  }

  cache.x = x;
  cache.gates.resize({T_, N, GH});
  cache.h.resize({T_ + 1, N, H});
  if (Cell::has_c) cache.c.resize({T_ + 1, N, H});
  if (Cell::has_aux) cache.aux.resize({T_, N, H});
  auto slab0 = [&](Tensor3<T>& s, const Tensor2<T>& v) {
    if (v.size()) std::copy(v.begin(), v.end(), s.data());
    else std::fill(s.data(), s.data() + N * H, T(0));
  };
  slab0(cache.h, init.h);
  if (Cell::has_c) slab0(cache.c, init.c);

  //! [input_projection]
  // All steps' input projections in one GEMM: A = X W_ih^T + b, (T N, D) x (D, G H), its
  // rows split between the threads. b = b_ih + b_hh, except for cells that keep
  // W_hh h + b_hh apart (the GRU).
  Tensor1<T> bias = b_ih;
  if (!Cell::split_h) bias += b_hh;
  parallel_for(T_ * N, [&](std::size_t r0, std::size_t r1, std::size_t) {
    T* A = cache.gates.data() + r0 * GH;
    for (std::size_t r = 0; r < r1 - r0; ++r) std::copy(bias.begin(), bias.end(), A + r * GH);
    gemm(Op::N, Op::T, r1 - r0, GH, D, T(1), x.data() + r0 * D, D, W_ih.data(), D, T(1), A, GH);
  });
  //! [input_projection]

  Tensor3<T> y = Tensor3<T>::from_shape({T_, N, H});
  // The rows of the batch never interact: each thread runs the time loop for its own rows.
  parallel_for(N, [&](std::size_t r0, std::size_t r1, std::size_t) {
    const std::size_t rows = r1 - r0, masked_from = rec::min_length(cache.lengths, r0, r1, T_);
    Tensor2<T> hw;  // W_hh h + b_hh, for cells that keep it apart
    if (Cell::split_h) hw.resize({rows, GH});
    //! [time_loop]
    for (std::size_t t = 0; t < T_; ++t) {
      T* a = rec::at<T>(cache.gates, t, r0);
      const T* h_prev = rec::at<T>(cache.h, t, r0);
      T* h = rec::at<T>(cache.h, t + 1, r0);
      if (Cell::split_h) {  // hw = h_{t-1} W_hh^T + b_hh
        for (std::size_t r = 0; r < rows; ++r) std::copy(b_hh.begin(), b_hh.end(), hw.data() + r * GH);
        gemm(Op::N, Op::T, rows, GH, H, T(1), h_prev, H, W_hh.data(), H, T(1), hw.data(), GH);
      } else {  // a += h_{t-1} W_hh^T: all gates in one GEMM
        gemm(Op::N, Op::T, rows, GH, H, T(1), h_prev, H, W_hh.data(), H, T(1), a, GH);
      }
      CellForward<T> s{rows, H, a, hw.data(), Cell::has_aux ? rec::at<T>(cache.aux, t, r0) : nullptr,
                       h_prev, h,
                       Cell::has_c ? rec::at<T>(cache.c, t, r0) : nullptr,
                       Cell::has_c ? rec::at<T>(cache.c, t + 1, r0) : nullptr};
      Cell::forward(s);  // the gates and the new state, elementwise
      T* out = rec::at<T>(y, t, r0);
      std::copy(h, h + rows * H, out);
      if (t >= masked_from)  // finished sequences keep their state and output 0
        for (std::size_t r = 0; r < rows; ++r)
          if (t >= cache.lengths[r0 + r]) {
            std::copy(h_prev + r * H, h_prev + (r + 1) * H, h + r * H);
            if (Cell::has_c) std::copy(s.c_prev + r * H, s.c_prev + (r + 1) * H, s.c + r * H);
            std::fill(out + r * H, out + (r + 1) * H, T(0));
          }
    }
    //! [time_loop]
  });
  return y;
}

template <class T, class Cell>
Tensor3<T> Recurrent<T, Cell>::backward(const Tensor3<T>& dy, const Cache& cache) {
  return backward_full(dy, RecurrentState<T>{}, cache).dx;
}

template <class T, class Cell>
RecurrentGrads<T> Recurrent<T, Cell>::backward_full(const Tensor3<T>& dy,
                                                    const RecurrentState<T>& dfinal,
                                                    const Cache& cache) {
  const std::string who = describe();
  if (dW_ih.shape() != W_ih.shape() || dW_hh.shape() != W_hh.shape())
    throw ValueError(who + ": backward needs gradient tensors shaped like the weights (was the layer default-constructed?)");
  if (cache.h.dimension() != 3 || cache.h.shape(0) < 2)
    throw ValueError(who + ": backward called before forward");
  const std::size_t T_ = cache.h.shape(0) - 1, N = cache.h.shape(1), D = d_in(), H = hidden(),
                    GH = G * H;
  check_shape(who, "gradient dY", dy, {T_, N, H});
  if (dfinal.h.size()) check_shape(who, "final-state gradient dh_T", dfinal.h, {N, H});
  if (dfinal.c.size()) check_shape(who, "final-state gradient dc_T", dfinal.c, {N, H});

  // dL/d(pre-activations) of every step: from the input side (dA_x) and, for the GRU, the
  // recurrent side (dA_h); for RNN and LSTM the two are the same tensor.
  Tensor3<T> dAx = Tensor3<T>::from_shape({T_, N, GH});
  Tensor3<T> dAh_split;
  if (Cell::split_h) dAh_split.resize({T_, N, GH});
  Tensor3<T>& dAh = Cell::split_h ? dAh_split : dAx;
  RecurrentGrads<T> g;
  g.dh0.resize({N, H});
  if (Cell::has_c) g.dc0.resize({N, H});

  parallel_for(N, [&](std::size_t r0, std::size_t r1, std::size_t) {
    const std::size_t rows = r1 - r0, masked_from = rec::min_length(cache.lengths, r0, r1, T_);
    // dh_next, dc_next: dL/dh_t, dL/dc_t arriving from step t+1 (or from after the sequence)
    Tensor2<T> dh_next = Tensor2<T>::from_shape({rows, H}), dc_next, dh = dh_next, dh_direct = dh_next;
    auto start = [&](Tensor2<T>& d, const Tensor2<T>& from) {
      if (from.size()) std::copy(from.data() + r0 * H, from.data() + r1 * H, d.data());
      else d.fill(T(0));
    };
    start(dh_next, dfinal.h);
    if (Cell::has_c) {
      dc_next.resize({rows, H});
      start(dc_next, dfinal.c);
    }
    Tensor2<T> dc_prev = dc_next;
    //! [bptt_loop]
    for (std::size_t t = T_; t-- > 0;) {
      // dh = dL/dh_t: the output's gradient at step t plus what step t+1 sends back
      const T* dyt = rec::at<const T>(dy, t, r0);
      for (std::size_t k = 0; k < rows * H; ++k) dh.data()[k] = dyt[k] + dh_next.data()[k];
      CellBackward<T> s{rows, H,
                        rec::at<const T>(cache.gates, t, r0),
                        Cell::has_aux ? rec::at<const T>(cache.aux, t, r0) : nullptr,
                        rec::at<const T>(cache.h, t, r0),
                        Cell::has_c ? rec::at<const T>(cache.c, t, r0) : nullptr,
                        dh.data(), Cell::has_c ? dc_next.data() : nullptr,
                        rec::at<T>(dAx, t, r0), rec::at<T>(dAh, t, r0), dh_direct.data(),
                        Cell::has_c ? dc_prev.data() : nullptr};
      Cell::backward(s);  // dA from dh (and dc), elementwise
      const bool masking = t >= masked_from;
      if (masking) {  // a finished sequence: no gradient enters, dh and dc pass through
        for (std::size_t r = 0; r < rows; ++r) {
          if (t >= cache.lengths[r0 + r]) {
            std::fill(s.dax + r * GH, s.dax + (r + 1) * GH, T(0));
            std::fill(s.dah + r * GH, s.dah + (r + 1) * GH, T(0));
            std::copy(dh_next.data() + r * H, dh_next.data() + (r + 1) * H, dh_direct.data() + r * H);
            if (Cell::has_c) std::copy(dc_next.data() + r * H, dc_next.data() + (r + 1) * H, dc_prev.data() + r * H);
          } else if (!Cell::split_h) {
            std::fill(dh_direct.data() + r * H, dh_direct.data() + (r + 1) * H, T(0));
          }
        }
      }
      // dh_{t-1} = (direct part) + dA_h W_hh: every gate's share in one GEMM
      if (Cell::split_h || masking) std::copy(dh_direct.begin(), dh_direct.end(), dh_next.begin());
      gemm(Op::N, Op::N, rows, H, GH, T(1), s.dah, GH, W_hh.data(), H,
           (Cell::split_h || masking) ? T(1) : T(0), dh_next.data(), H);
      if (Cell::has_c) std::swap(dc_next, dc_prev);
    }
    //! [bptt_loop]
    std::copy(dh_next.begin(), dh_next.end(), g.dh0.data() + r0 * H);
    if (Cell::has_c) std::copy(dc_next.begin(), dc_next.end(), g.dc0.data() + r0 * H);
  });

  //! [weight_gradients]
  // The weight gradients of all steps at once: each sum over t and n is one GEMM over the
  // T N rows, the gate rows of the weights split between the threads.
  const std::size_t TN = T_ * N;
  parallel_for(GH, [&](std::size_t g0, std::size_t g1, std::size_t) {
    const std::size_t m = g1 - g0;
    gemm(Op::T, Op::N, m, D, TN, T(1), dAx.data() + g0, GH, cache.x.data(), D, T(1),
         dW_ih.data() + g0 * D, D);                                            // dW_ih += dA_x^T X
    gemm(Op::T, Op::N, m, H, TN, T(1), dAh.data() + g0, GH, cache.h.data(), H, T(1),
         dW_hh.data() + g0 * H, H);                                            // dW_hh += dA_h^T H_prev
    std::vector<T> sums(GH, T(0));  // columns g0..g1 of 1^T dA_x
    rec::add_column_sums(dAx.data(), TN, GH, g0, g1, sums.data());
    for (std::size_t j = g0; j < g1; ++j) db_ih(j) += sums[j];                 // db_ih += 1^T dA_x
    if (Cell::split_h) {                                                       // db_hh += 1^T dA_h
      rec::add_column_sums(dAh.data(), TN, GH, g0, g1, db_hh.data());
    } else {  // the same pre-activations: the same sums
      for (std::size_t j = g0; j < g1; ++j) db_hh(j) += sums[j];
    }
  });
  if (input_grad) {                                                            // dX = dA_x W_ih
    g.dx.resize({T_, N, D});
    parallel_for(TN, [&](std::size_t r0, std::size_t r1, std::size_t) {
      gemm(Op::N, Op::N, r1 - r0, D, GH, T(1), dAx.data() + r0 * GH, GH, W_ih.data(), D, T(0),
           g.dx.data() + r0 * D, D);
    });
  }
  //! [weight_gradients]
  return g;
}

template <class T, class Cell>
std::vector<ParamRef<T>> Recurrent<T, Cell>::params() {
  return {param_ref<T>("W_ih", W_ih, dW_ih), param_ref<T>("W_hh", W_hh, dW_hh),
          param_ref<T>("b_ih", b_ih, db_ih, /*decay=*/false),
          param_ref<T>("b_hh", b_hh, db_hh, /*decay=*/false)};
}

template <class T, class Cell>
std::string Recurrent<T, Cell>::describe() const {
  return fmt::format("{}({} -> {})", Cell::name, W_ih.size() ? d_in() : 0,
                     W_hh.size() ? hidden() : 0);
}

}  // namespace dl
