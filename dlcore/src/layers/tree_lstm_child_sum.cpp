#include "dlcore/core/vmath.hpp"
#include "tree_lstm_impl.hpp"

namespace dl {

template <class T>
ChildSumTreeLSTM<T>::ChildSumTreeLSTM(std::size_t d_in, std::size_t hidden, Rng& rng, TreeInputs in)
    : inputs(in) {
  tree_lstm::init("ChildSumTreeLSTM", G, d_in, hidden, hidden, rng, W, U, b, dW, dU, db);
}

template <class T>
Tensor2<T> ChildSumTreeLSTM<T>::forward(const std::vector<const Tree*>& trees,
                                        const Tensor2<T>& x, Cache& cache) const {
  cache.batch = make_tree_batch(trees, describe());
  tree_lstm::keep_inputs(*this, x, cache);
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), E = B.edges(), H = hidden(), GH = G * H, H3 = 3 * H;
  for (auto* v : {&cache.c, &cache.tc, &cache.h, &cache.hc}) tree_lstm::grow(*v, n * H);
  for (auto* v : {&cache.he, &cache.f}) tree_lstm::grow(*v, E * H);
  T *A = cache.a.data(), *C = cache.c.data(), *TC = cache.tc.data(), *Hs = cache.h.data(),
    *HS = cache.hc.data(), *HE = cache.he.data(), *F = cache.f.data();
  const T* Uf = U.data() + H3 * H;  // rows 3H..4H: U_f
  tree_lstm::for_tree_parts(B, [&](std::size_t t0, std::size_t t1) {  // trees [t0, t1)
    //! [child_sum_tree_lstm_forward]
    for (std::size_t l = 0; l < B.levels(); ++l) {  // bottom up: a node's children are done before it
      const auto [p0, p1] = level_part(B, l, t0, t1);  // this level's nodes of these trees
      if (p0 == p1) continue;
      const std::size_t e0 = B.child_begin[p0], e1 = B.child_begin[p1];  // and their edges
      tree_lstm::project(*this, cache, p0, p1);  // A = W x + b
      if (l > 0) {
        for (std::size_t p = p0; p < p1; ++p) {
          T* hs = HS + p * H;
          std::fill(hs, hs + H, T(0));
          for (std::size_t e = B.child_begin[p]; e < B.child_begin[p + 1]; ++e) {
            const T* hk = Hs + B.child[e] * H;
            DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) hs[j] += hk[j];  // h~ = sum_k h_k
            std::copy(hk, hk + H, HE + e * H);                                 // h_k of edge e
            std::copy(A + p * GH + H3, A + (p + 1) * GH, F + e * H);           // W_f x + b_f
          }
        }
        // A_iou += h~ U_iou^T (the level's nodes), F += h_k U_f^T (the level's edges)
        gemm(Op::N, Op::T, p1 - p0, H3, H, T(1), HS + p0 * H, H, U.data(), H, T(1), A + p0 * GH, GH);
        gemm(Op::N, Op::T, e1 - e0, H, H, T(1), HE + e0 * H, H, Uf, H, T(1), F + e0 * H, H);
        sigmoid_inplace(F + e0 * H, (e1 - e0) * H);  // f_k
      }
      for (std::size_t p = p0; p < p1; ++p) {  // the gates and the new state, elementwise
        T* a = A + p * GH;
        sigmoid_inplace(a, 2 * H);   // i, o
        tanh_inplace(a + 2 * H, H);  // u
        const T *i = a, *o = a + H, *u = a + 2 * H;
        T *c = C + p * H, *tc = TC + p * H, *h = Hs + p * H;
        DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) c[j] = i[j] * u[j];  // c = i u
        for (std::size_t e = B.child_begin[p]; e < B.child_begin[p + 1]; ++e) {  //   + sum_k f_k c_k
          const T *f = F + e * H, *ck = C + B.child[e] * H;
          DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) c[j] += f[j] * ck[j];
        }
        tanh_into(c, tc, H);                                                    // tanh(c), kept
        DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) h[j] = o[j] * tc[j];  // h = o tanh(c)
      }
    }
    //! [child_sum_tree_lstm_forward]
  });
  return tree_lstm::to_node_order(B, Hs, H);
}

template <class T>
Tensor2<T> ChildSumTreeLSTM<T>::backward(const Tensor2<T>& dh_nodes, const Cache& cache) {
  tree_lstm::start_backward(*this, dh_nodes, cache, work_);  // dh = each node's own dL/dh
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), L = B.leaves(), E = B.edges(), H = hidden(), GH = G * H,
                    H3 = 3 * H;
  tree_lstm::grow(work_.dhc, n * H);  // dh~ of each node
  for (auto* v : {&work_.df, &work_.dhe}) tree_lstm::grow(*v, E * H);
  const T *A = cache.a.data(), *C = cache.c.data(), *TC = cache.tc.data(), *F = cache.f.data();
  const T* Uf = U.data() + H3 * H;
  T *dA = work_.da.data(), *dH = work_.dh.data(), *dC = work_.dc.data(), *dHS = work_.dhc.data(),
    *dF = work_.df.data(), *dHE = work_.dhe.data();
  tree_lstm::for_tree_parts(B, [&](std::size_t t0, std::size_t t1) {  // trees [t0, t1)
    //! [child_sum_tree_lstm_backward]
    for (std::size_t l = B.levels(); l-- > 0;) {  // top down: a node's parent is done before it
      const auto [p0, p1] = level_part(B, l, t0, t1);
      if (p0 == p1) continue;
      const std::size_t e0 = B.child_begin[p0], e1 = B.child_begin[p1];
      for (std::size_t p = p0; p < p1; ++p) {
        const T* a = A + p * GH;
        const T *i = a, *o = a + H, *u = a + 2 * H, *tc = TC + p * H, *dh = dH + p * H;
        T* da = dA + p * GH;
        T *di = da, *d_o = da + H, *du = da + 2 * H, *daf = da + H3, *dc = dC + p * H;
        DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) {
          dc[j] += dh[j] * o[j] * (T(1) - tc[j] * tc[j]);  // dL/dc: the parent's + through h
          di[j] = dc[j] * u[j] * i[j] * (T(1) - i[j]);     // dL/da^i
          d_o[j] = dh[j] * tc[j] * o[j] * (T(1) - o[j]);   // dL/da^o
          du[j] = dc[j] * i[j] * (T(1) - u[j] * u[j]);     // dL/da^u
          daf[j] = T(0);
        }
        for (std::size_t e = B.child_begin[p]; e < B.child_begin[p + 1]; ++e) {
          const std::size_t q = B.child[e];
          const T *f = F + e * H, *ck = C + q * H;
          T *df = dF + e * H, *dck = dC + q * H;
          DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) {
            df[j] = dc[j] * ck[j] * f[j] * (T(1) - f[j]);  // dL/da^{f_k}
            daf[j] += df[j];                               // W_f x + b_f is shared by every f_k
            dck[j] = dc[j] * f[j];                         // dL/dc_k, to child k
          }
        }
      }
      if (l > 0) {  // dh~ = dA_iou U_iou (every child gets it), dh_k += dA_{f_k} U_f
        gemm(Op::N, Op::N, p1 - p0, H, H3, T(1), dA + p0 * GH, GH, U.data(), H, T(0), dHS + p0 * H, H);
        gemm(Op::N, Op::N, e1 - e0, H, H, T(1), dF + e0 * H, H, Uf, H, T(0), dHE + e0 * H, H);
        for (std::size_t p = p0; p < p1; ++p)
          for (std::size_t e = B.child_begin[p]; e < B.child_begin[p + 1]; ++e) {
            const T *gs = dHS + p * H, *ge = dHE + e * H;
            T* dhk = dH + B.child[e] * H;
            DL_VECTORIZE for (std::size_t j = 0; j < H; ++j) dhk[j] += gs[j] + ge[j];
          }
      }
    }
    //! [child_sum_tree_lstm_backward]
  });
  // dW, db, dX, and over the inner nodes dU_iou += dA_iou^T H~, over the edges dU_f += dF^T H_k
  return tree_lstm::finish_backward(*this, cache, work_, [&](std::size_t g0, std::size_t g1) {
    if (n == L) return;
    if (g0 < H3)
      gemm(Op::T, Op::N, std::min(g1, H3) - g0, H, n - L, T(1), dA + L * GH + g0, GH,
           cache.hc.data() + L * H, H, T(1), dU.data() + g0 * H, H);
    const std::size_t f0 = std::max(g0, H3);
    if (f0 < g1)
      gemm(Op::T, Op::N, g1 - f0, H, E, T(1), dF + (f0 - H3), H, cache.he.data(), H, T(1),
           dU.data() + f0 * H, H);
  });
}

template <class T>
std::vector<ParamRef<T>> ChildSumTreeLSTM<T>::params() {
  return {param_ref<T>("W", W, dW), param_ref<T>("U", U, dU), param_ref<T>("b", b, db, /*decay=*/false)};
}

template <class T>
std::string ChildSumTreeLSTM<T>::describe() const {
  return fmt::format("ChildSumTreeLSTM({} -> {})", W.size() ? d_in() : 0, U.size() ? hidden() : 0);
}

template struct ChildSumTreeLSTM<float>;
template struct ChildSumTreeLSTM<double>;

}  // namespace dl
