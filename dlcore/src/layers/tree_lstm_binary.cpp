#include "dlcore/core/vmath.hpp"
#include "tree_lstm_impl.hpp"

namespace dl {

template <class T>
BinaryTreeLSTM<T>::BinaryTreeLSTM(std::size_t d_in, std::size_t hidden, Rng& rng, TreeInputs in)
    : inputs(in) {
  tree_lstm::init("BinaryTreeLSTM", G, d_in, hidden, 2 * hidden, rng, W, U, b, dW, dU, db);
}

template <class T>
Tensor2<T> BinaryTreeLSTM<T>::forward(const std::vector<const Tree*>& trees, const Tensor2<T>& x,
                                      Cache& cache) const {
  cache.batch = make_tree_batch(trees, describe(), 2);
  tree_lstm::keep_inputs(*this, x, cache);
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), H = hidden(), GH = G * H, H2 = 2 * H;
  for (auto* v : {&cache.c, &cache.tc, &cache.h}) tree_lstm::grow(*v, n * H);
  tree_lstm::grow(cache.hc, n * H2);
  T *A = cache.a.data(), *C = cache.c.data(), *TC = cache.tc.data(), *Hs = cache.h.data(),
    *HC = cache.hc.data();
  tree_lstm::for_tree_parts(B, [&](std::size_t t0, std::size_t t1) {  // trees [t0, t1)
    //! [binary_tree_lstm_forward]
    for (std::size_t l = 0; l < B.levels(); ++l) {  // bottom up: a node's children are done before it
      const auto [p0, p1] = level_part(B, l, t0, t1);  // this level's nodes of these trees
      if (p0 == p1) continue;
      tree_lstm::project(*this, cache, p0, p1);  // A = W x + b
      if (l > 0) {  // the level's children's states [h_1 h_2] (zero if missing), then one GEMM
        for (std::size_t p = p0; p < p1; ++p)
          for (std::size_t k = 0; k < 2; ++k) {
            T* dst = HC + p * H2 + k * H;
            const std::size_t e = B.child_begin[p] + k;
            if (e < B.child_begin[p + 1]) std::copy(Hs + B.child[e] * H, Hs + (B.child[e] + 1) * H, dst);
            else std::fill(dst, dst + H, T(0));
          }
        gemm(Op::N, Op::T, p1 - p0, GH, H2, T(1), HC + p0 * H2, H2, U.data(), H2, T(1), A + p0 * GH,
             GH);  // A += [h_1 h_2] U^T
      }
      for (std::size_t p = p0; p < p1; ++p) {  // the gates and the new state, elementwise
        T* a = A + p * GH;
        const std::size_t kids = B.child_begin[p + 1] - B.child_begin[p];
        sigmoid_inplace(a, 2 * H);          // i, o
        tanh_inplace(a + 2 * H, H);         // u
        sigmoid_inplace(a + 3 * H, kids * H);  // f_k for each child present
        const T *i = a, *o = a + H, *u = a + 2 * H;
        T *c = C + p * H, *tc = TC + p * H, *h = Hs + p * H;
        DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) c[j] = i[j] * u[j];  // c = i u
        for (std::size_t k = 0; k < kids; ++k) {                               //   + f_k c_k
          const T *f = a + (3 + k) * H, *ck = C + B.child[B.child_begin[p] + k] * H;
          DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) c[j] += f[j] * ck[j];
        }
        tanh_into(c, tc, H);                                                    // tanh(c), kept
        DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) h[j] = o[j] * tc[j];  // h = o tanh(c)
      }
    }
    //! [binary_tree_lstm_forward]
  });
  return tree_lstm::to_node_order(B, Hs, H);
}

template <class T>
Tensor2<T> BinaryTreeLSTM<T>::backward(const Tensor2<T>& dh_nodes, const Cache& cache) {
  tree_lstm::start_backward(*this, dh_nodes, cache, work_);  // dh = each node's own dL/dh
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), L = B.leaves(), H = hidden(), GH = G * H, H2 = 2 * H;
  tree_lstm::grow(work_.dhc, n * H2);
  const T *A = cache.a.data(), *C = cache.c.data(), *TC = cache.tc.data();
  T *dA = work_.da.data(), *dH = work_.dh.data(), *dC = work_.dc.data(), *dHC = work_.dhc.data();
  tree_lstm::for_tree_parts(B, [&](std::size_t t0, std::size_t t1) {  // trees [t0, t1)
    //! [binary_tree_lstm_backward]
    for (std::size_t l = B.levels(); l-- > 0;) {  // top down: a node's parent is done before it
      const auto [p0, p1] = level_part(B, l, t0, t1);
      if (p0 == p1) continue;
      for (std::size_t p = p0; p < p1; ++p) {
        const T* a = A + p * GH;
        const T *i = a, *o = a + H, *u = a + 2 * H, *tc = TC + p * H, *dh = dH + p * H;
        T* da = dA + p * GH;
        T *di = da, *d_o = da + H, *du = da + 2 * H, *dc = dC + p * H;
        DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) {
          dc[j] += dh[j] * o[j] * (T(1) - tc[j] * tc[j]);  // dL/dc: the parent's + through h
          di[j] = dc[j] * u[j] * i[j] * (T(1) - i[j]);     // dL/da^i
          d_o[j] = dh[j] * tc[j] * o[j] * (T(1) - o[j]);   // dL/da^o
          du[j] = dc[j] * i[j] * (T(1) - u[j] * u[j]);     // dL/da^u
        }
        const std::size_t kids = B.child_begin[p + 1] - B.child_begin[p];
        for (std::size_t k = 0; k < 2; ++k) {
          T* df = da + (3 + k) * H;
          if (k >= kids) {  // no child here: its forget gate multiplies a zero state
            std::fill(df, df + H, T(0));
            continue;
          }
          const std::size_t q = B.child[B.child_begin[p] + k];
          const T *f = a + (3 + k) * H, *ck = C + q * H;
          T* dck = dC + q * H;
          DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) {
            df[j] = dc[j] * ck[j] * f[j] * (T(1) - f[j]);  // dL/da^{f_k}
            dck[j] = dc[j] * f[j];                         // dL/dc_k, to child k
          }
        }
      }
      if (l > 0) {  // [dh_1 dh_2] = dA U: every gate's share for both children in one GEMM
        gemm(Op::N, Op::N, p1 - p0, H2, GH, T(1), dA + p0 * GH, GH, U.data(), H2, T(0), dHC + p0 * H2, H2);
        for (std::size_t p = p0; p < p1; ++p)
          for (std::size_t e = B.child_begin[p]; e < B.child_begin[p + 1]; ++e) {
            const T* g = dHC + p * H2 + (e - B.child_begin[p]) * H;
            T* dhk = dH + B.child[e] * H;
            DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) dhk[j] += g[j];  // dh_k += U_k^T dA
          }
      }
    }
    //! [binary_tree_lstm_backward]
  });
  // dW, db, dX, and dU += dA^T [h_1 h_2] over the inner nodes: one GEMM (per worker's gate rows)
  return tree_lstm::finish_backward(*this, cache, work_, [&](std::size_t g0, std::size_t g1) {
    if (n > L)
      gemm(Op::T, Op::N, g1 - g0, H2, n - L, T(1), dA + L * GH + g0, GH, cache.hc.data() + L * H2,
           H2, T(1), dU.data() + g0 * H2, H2);
  });
}

template <class T>
std::vector<ParamRef<T>> BinaryTreeLSTM<T>::params() {
  return {param_ref<T>("W", W, dW), param_ref<T>("U", U, dU), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string BinaryTreeLSTM<T>::describe() const {
  return fmt::format("BinaryTreeLSTM({} -> {})", W.size() ? d_in() : 0, U.size() ? hidden() : 0);
}

template struct BinaryTreeLSTM<float>;
template struct BinaryTreeLSTM<double>;

}  // namespace dl
