#pragma once
// What the two Tree-LSTM cells share (declared in dlcore/layers/tree_lstm.hpp): parameter
// set-up, the input projection of all nodes, the weight and input gradients after the
// backward sweep, and the moves between node order and level order. Notation: n nodes,
// D inputs, H hidden units, GH = G H gate rows; positions p in level order, rows r in node
// order (tree_batch.hpp). Every buffer is a contiguous row-major block.

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/layers/tree_lstm.hpp"

namespace dl::tree_lstm {

// W (G H, D), U (G H, U_cols), b (G H) from U(-1/sqrt(H), 1/sqrt(H)); zero gradients.
template <class T>
void init(const char* name, std::size_t G, std::size_t D, std::size_t H, std::size_t U_cols,
          Rng& rng, Tensor2<T>& W, Tensor2<T>& U, Tensor1<T>& b, Tensor2<T>& dW, Tensor2<T>& dU,
          Tensor1<T>& db) {
  if (D == 0 || H == 0)
    throw ValueError(fmt::format("{}: needs at least one input and one hidden unit, got {} -> {}",
                                 name, D, H));
  const double a = 1.0 / std::sqrt(double(H));
  W = Tensor2<T>::from_shape({G * H, D});
  U = Tensor2<T>::from_shape({G * H, U_cols});
  b = Tensor1<T>::from_shape({G * H});
  for (auto* p : {&W, &U})
    for (auto& v : *p) v = T(rng.uniform(-a, a));
  for (auto& v : b) v = T(rng.uniform(-a, a));
  dW = xt::zeros<T>({G * H, D});
  dU = xt::zeros<T>({G * H, U_cols});
  db = xt::zeros<T>({G * H});
}

template <class V>
void grow(V& v, std::size_t n) {  // resize, keeping the capacity (no zeroing promised)
  if (v.size() < n) v.resize(n);
}

// Check X against the schedule and keep it in cache.x in level order; every node's
// pre-activations A = b (+ X W^T for the nodes with an input): one GEMM for the batch.
template <class T, class Layer>
void input_projection(const Layer& layer, const Tensor2<T>& x, TreeLSTMCache<T>& cache) {
  const std::string who = layer.describe();
  if (layer.W.size() == 0) throw ValueError(who + ": forward on a layer without weights (default-constructed)");
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), D = layer.d_in(), GH = layer.W.shape(0);
  const bool every = layer.inputs == TreeInputs::every_node;
  const std::size_t rows = every ? n : B.leaves();
  if (x.dimension() != 2 || x.shape(0) != rows || x.shape(1) != D)
    throw ShapeError(fmt::format("{}: input X has shape {} but expected ({}, {}): one row per {} of "
                                 "the {} trees", who, shape_str(x.shape()), rows, D,
                                 every ? "node" : "leaf", B.trees()));
  cache.rows_x = rows;
  grow(cache.x, rows * D);
  if (every)  // x[p] = X[row(p)]
    for (std::size_t p = 0; p < n; ++p)
      std::copy(x.data() + B.row[p] * D, x.data() + (B.row[p] + 1) * D, cache.x.data() + p * D);
  else  // the leaves are level 0, in node order already
    std::copy(x.data(), x.data() + rows * D, cache.x.data());
  grow(cache.a, n * GH);
  T* A = cache.a.data();
  for (std::size_t p = 0; p < n; ++p) std::copy(layer.b.begin(), layer.b.end(), A + p * GH);
  gemm(Op::N, Op::T, rows, GH, D, T(1), cache.x.data(), D, layer.W.data(), D, T(1), A, GH);  // A += X W^T
}

// The (n, H) level-order block `v` as a matrix in node order.
template <class T>
Tensor2<T> to_node_order(const TreeBatch& B, const T* v, std::size_t H) {
  Tensor2<T> out = Tensor2<T>::from_shape({B.nodes(), H});
  for (std::size_t p = 0; p < B.nodes(); ++p)
    std::copy(v + p * H, v + (p + 1) * H, out.data() + B.row[p] * H);
  return out;
}

// The gradients every node's dh starts from: its own classifier's, moved to level order.
template <class T, class Layer>
void start_backward(const Layer& layer, const Tensor2<T>& dh, const TreeLSTMCache<T>& cache,
                    TreeLSTMWork<T>& w) {
  const std::string who = layer.describe();
  const TreeBatch& B = cache.batch;
  if (B.row.empty() || cache.h.empty()) throw ValueError(who + ": backward called before forward");
  check_grad(who, "W", layer.W, layer.dW);
  check_grad(who, "U", layer.U, layer.dU);
  check_grad(who, "b", layer.b, layer.db);
  const std::size_t n = B.nodes(), H = layer.hidden();
  check_shape(who, "gradient dh", dh, {n, H});
  grow(w.dh, n * H);
  grow(w.dc, n * H);
  grow(w.da, n * layer.W.shape(0));
  for (std::size_t p = 0; p < n; ++p)
    std::copy(dh.data() + B.row[p] * H, dh.data() + (B.row[p] + 1) * H, w.dh.data() + p * H);
  std::fill(w.dc.data(), w.dc.data() + n * H, T(0));  // nothing above a root
}

// After the sweep: dW += dA_x^T X, db += 1^T dA (every node), and dX = dA_x W in X's order.
template <class T, class Layer>
Tensor2<T> finish_backward(Layer& layer, const TreeLSTMCache<T>& cache, TreeLSTMWork<T>& w) {
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), D = layer.d_in(), GH = layer.W.shape(0), rows = cache.rows_x;
  const T* dA = w.da.data();
  gemm(Op::T, Op::N, GH, D, rows, T(1), dA, GH, cache.x.data(), D, T(1), layer.dW.data(), D);
  T* db = layer.db.data();
  for (std::size_t p = 0; p < n; ++p) {
    const T* g = dA + p * GH;
    for (std::size_t j = 0; j < GH; ++j) db[j] += g[j];
  }
  if (!layer.input_grad) return {};
  Tensor2<T> dx = Tensor2<T>::from_shape({rows, D});
  if (layer.inputs == TreeInputs::leaves_only) {
    gemm(Op::N, Op::N, rows, D, GH, T(1), dA, GH, layer.W.data(), D, T(0), dx.data(), D);
  } else {
    grow(w.dx, rows * D);
    gemm(Op::N, Op::N, rows, D, GH, T(1), dA, GH, layer.W.data(), D, T(0), w.dx.data(), D);
    for (std::size_t p = 0; p < n; ++p)
      std::copy(w.dx.data() + p * D, w.dx.data() + (p + 1) * D, dx.data() + B.row[p] * D);
  }
  return dx;
}

}  // namespace dl::tree_lstm
