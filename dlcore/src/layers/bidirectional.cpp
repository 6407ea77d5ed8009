#include "dlcore/layers/bidirectional.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"

namespace dl {

namespace {

// dst[t, n, off : off + W] = src[L_n - 1 - t, n, 0 : W] for t < L_n, 0 for t >= L_n, where
// src is (T, N, W) and dst (T, N, dst_width): the reversal within each sequence's length,
// written into a column block of a wider tensor (one half of a bidirectional output).
template <class T>
void reverse_into(const T* src, std::size_t W, T* dst, std::size_t dst_width, std::size_t off,
                  std::size_t T_, std::size_t N, const Lengths& lengths) {
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = lengths.empty() ? T_ : lengths[n];
    for (std::size_t t = 0; t < T_; ++t) {
      T* d = dst + (t * N + n) * dst_width + off;
      if (t < L) {
        const T* s = src + ((L - 1 - t) * N + n) * W;
        std::copy(s, s + W, d);
      } else {
        std::fill(d, d + W, T(0));
      }
    }
  }
}

}  // namespace

template <class T>
Tensor3<T> reverse_within_lengths(const Tensor3<T>& x, const Lengths* lengths) {
  const std::size_t T_ = x.shape(0), N = x.shape(1), D = x.shape(2);
  const Lengths& L = lengths ? *lengths : Lengths{};
  check_lengths("reverse_within_lengths", L, T_, N);
  Tensor3<T> y = Tensor3<T>::from_shape({T_, N, D});
  reverse_into(x.data(), D, y.data(), D, 0, T_, N, L);
  return y;
}

template <class T, class Cell>
Bidirectional<T, Cell>::Bidirectional(std::size_t d_in, std::size_t hidden, Rng& rng)
    : fwd(d_in, hidden, rng), bwd(d_in, hidden, rng) {}

template <class T, class Cell>
Tensor3<T> Bidirectional<T, Cell>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  return run(x, BidirectionalState<T>{}, ctx.lengths, cache);
}

template <class T, class Cell>
Tensor3<T> Bidirectional<T, Cell>::run(const Tensor3<T>& x, const BidirectionalState<T>& init,
                                       const Lengths* lengths, Cache& cache) const {
  const std::string who = describe();
  if (fwd.W_ih.size() == 0 || bwd.W_ih.size() == 0)
    throw ValueError(who + ": forward on a layer without weights (default-constructed)");
  if (fwd.d_in() != bwd.d_in() || fwd.hidden() != bwd.hidden())
    throw ShapeError(fmt::format("{}: the two directions differ: {} and {}", who, fwd.describe(),
                                 bwd.describe()));
  if (x.shape(2) != d_in())
    throw ShapeError(fmt::format("{}: input X has shape {} but expected (T, N, {})", who,
                                 shape_str(x.shape()), d_in()));
  const std::size_t T_ = x.shape(0), N = x.shape(1), H = hidden();
  cache.lengths = lengths ? *lengths : Lengths{};
  check_lengths(who, cache.lengths, T_, N);
  //! [bidirectional_forward]
  const Tensor3<T> yf = fwd.run(x, init.fwd, lengths, cache.fwd);  // h->_t, t = 0 ... L_n - 1
  const Tensor3<T> xr = reverse_within_lengths(x, lengths);         // x_{L_n-1}, ..., x_0
  const Tensor3<T> yr = bwd.run(xr, init.bwd, lengths, cache.bwd);  // h<- in reversed order
  Tensor3<T> y = Tensor3<T>::from_shape({T_, N, 2 * H});
  for (std::size_t k = 0; k < T_ * N; ++k)                          // Y[t, n, :H] = h->_t
    std::copy(yf.data() + k * H, yf.data() + (k + 1) * H, y.data() + k * 2 * H);
  reverse_into(yr.data(), H, y.data(), 2 * H, H, T_, N, cache.lengths);  // Y[t, n, H:] = h<-_t
  //! [bidirectional_forward]
  return y;
}

template <class T, class Cell>
Tensor3<T> Bidirectional<T, Cell>::backward(const Tensor3<T>& dy, const Cache& cache) {
  return backward_full(dy, BidirectionalState<T>{}, cache).dx;
}

template <class T, class Cell>
BidirectionalGrads<T> Bidirectional<T, Cell>::backward_full(const Tensor3<T>& dy,
                                                            const BidirectionalState<T>& dfinal,
                                                            const Cache& cache) {
  const std::string who = describe();
  if (cache.fwd.h.dimension() != 3 || cache.fwd.h.shape(0) < 2)
    throw ValueError(who + ": backward called before forward");
  const std::size_t T_ = cache.fwd.h.shape(0) - 1, N = cache.fwd.h.shape(1), H = hidden();
  check_shape(who, "gradient dY", dy, {T_, N, 2 * H});
  fwd.input_grad = bwd.input_grad = input_grad;
  //! [bidirectional_backward]
  Tensor3<T> dyf = Tensor3<T>::from_shape({T_, N, H}), dyb = dyf;
  for (std::size_t k = 0; k < T_ * N; ++k) {  // split dY into its two halves
    std::copy(dy.data() + k * 2 * H, dy.data() + k * 2 * H + H, dyf.data() + k * H);
    std::copy(dy.data() + k * 2 * H + H, dy.data() + (k + 1) * 2 * H, dyb.data() + k * H);
  }
  const Tensor3<T> dyr = reverse_within_lengths(dyb, &cache.lengths);  // in bwd's own order
  BidirectionalGrads<T> g;
  g.fwd = fwd.backward_full(dyf, dfinal.fwd, cache.fwd);  // BPTT of each direction
  g.bwd = bwd.backward_full(dyr, dfinal.bwd, cache.bwd);
  if (input_grad) {  // dX = dX-> + (dX<- back in the original order)
    g.dx = std::move(g.fwd.dx);
    const Tensor3<T> dxr = reverse_within_lengths(g.bwd.dx, &cache.lengths);
    g.dx += dxr;
    g.bwd.dx = Tensor3<T>{};
  }
  //! [bidirectional_backward]
  return g;
}

template <class T, class Cell>
std::vector<ParamRef<T>> Bidirectional<T, Cell>::params() {
  std::vector<ParamRef<T>> p = fwd.params();
  for (auto r : bwd.params()) {
    r.name += "_reverse";
    p.push_back(std::move(r));
  }
  return p;
}

template <class T, class Cell>
std::string Bidirectional<T, Cell>::describe() const {
  return fmt::format("Bi{}({} -> 2x{})", Cell::name, fwd.W_ih.size() ? d_in() : 0,
                     fwd.W_hh.size() ? hidden() : 0);
}

template Tensor3<float> reverse_within_lengths(const Tensor3<float>&, const Lengths*);
template Tensor3<double> reverse_within_lengths(const Tensor3<double>&, const Lengths*);
template struct Bidirectional<float, RNNCell<float>>;
template struct Bidirectional<double, RNNCell<double>>;
template struct Bidirectional<float, LSTMCell<float>>;
template struct Bidirectional<double, LSTMCell<double>>;
template struct Bidirectional<float, GRUCell<float>>;
template struct Bidirectional<double, GRUCell<double>>;

}  // namespace dl
