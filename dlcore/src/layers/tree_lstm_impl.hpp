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
#include "dlcore/core/parallel.hpp"
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

// Check X against the schedule and keep it in cache.x in level order (every_node) or as
// given (leaves_only: the leaves are level 0, in node order already).
template <class T, class Layer>
void keep_inputs(const Layer& layer, const Tensor2<T>& x, TreeLSTMCache<T>& cache) {
  const std::string who = layer.describe();
  if (layer.W.size() == 0) throw ValueError(who + ": forward on a layer without weights (default-constructed)");
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), D = layer.d_in();
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
  else
    std::copy(x.data(), x.data() + rows * D, cache.x.data());
  grow(cache.a, n * layer.W.shape(0));
}

// The gate rows of W that meet an input: all G H, or for leaves_only the i, o, u rows (3H),
// since the nodes with inputs are then leaves, whose forget gates have no child to act on.
template <class Layer>
std::size_t input_gate_rows(const Layer& layer) {
  return layer.inputs == TreeInputs::every_node ? layer.W.shape(0) : 3 * layer.hidden();
}

// Pre-activations of positions [p0, p1): A = b, plus X W^T for the positions with an input.
template <class T, class Layer>
void project(const Layer& layer, TreeLSTMCache<T>& cache, std::size_t p0, std::size_t p1) {
  const std::size_t D = layer.d_in(), GH = layer.W.shape(0);
  T* A = cache.a.data();
  for (std::size_t p = p0; p < p1; ++p) std::copy(layer.b.begin(), layer.b.end(), A + p * GH);
  const std::size_t x1 = std::min(p1, cache.rows_x);
  if (p0 < x1)  // A += X W^T
    gemm(Op::N, Op::T, x1 - p0, input_gate_rows(layer), D, T(1), cache.x.data() + p0 * D, D,
         layer.W.data(), D, T(1), A + p0 * GH, GH);
}

// Run sweep(t0, t1) over groups of whole trees, one group per parallel worker: the trees of a
// batch never interact, so each worker runs the level loop for its own trees with
// single-threaded GEMMs (as the recurrent layers split their batch rows).
template <class F>
void for_tree_parts(const TreeBatch& B, F&& sweep) {
  const std::vector<std::size_t> parts = tree_parts(B, parallel_workers(B.trees()));
  const std::size_t k = parts.size() - 1;
  if (k == 1) return sweep(parts[0], parts[1]);
  parallel_for(k, [&](std::size_t w0, std::size_t w1, std::size_t) {
    for (std::size_t w = w0; w < w1; ++w) sweep(parts[w], parts[w + 1]);
  }, k);
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

// After the sweep, the weight gradients of all nodes at once, the gate rows split between
// the workers: dW += dA_x^T X, db += 1^T dA, and recurrent(g0, g1) for the cell's dU rows;
// then dX = dA_x W in X's order.
template <class T, class Layer, class F>
Tensor2<T> finish_backward(Layer& layer, const TreeLSTMCache<T>& cache, TreeLSTMWork<T>& w,
                           F&& recurrent) {
  const TreeBatch& B = cache.batch;
  const std::size_t n = B.nodes(), D = layer.d_in(), GH = layer.W.shape(0), rows = cache.rows_x,
                    GX = input_gate_rows(layer);
  const T* dA = w.da.data();
  parallel_for(GH, [&](std::size_t g0, std::size_t g1, std::size_t) {
    if (g0 < GX)  // dW += dA_x^T X
      gemm(Op::T, Op::N, std::min(g1, GX) - g0, D, rows, T(1), dA + g0, GH, cache.x.data(), D,
           T(1), layer.dW.data() + g0 * D, D);
    T* db = layer.db.data();
    for (std::size_t p = 0; p < n; ++p) {  // db += 1^T dA
      const T* g = dA + p * GH;
      for (std::size_t j = g0; j < g1; ++j) db[j] += g[j];
    }
    recurrent(g0, g1);
  });
  if (!layer.input_grad) return {};
  Tensor2<T> dx = Tensor2<T>::from_shape({rows, D});
  const bool every = layer.inputs == TreeInputs::every_node;
  if (every) grow(w.dx, rows * D);
  T* out = every ? w.dx.data() : dx.data();
  parallel_for(rows, [&](std::size_t r0, std::size_t r1, std::size_t) {  // dX = dA_x W
    gemm(Op::N, Op::N, r1 - r0, D, GX, T(1), dA + r0 * GH, GH, layer.W.data(), D, T(0),
         out + r0 * D, D);
  });
  if (every)
    for (std::size_t p = 0; p < n; ++p)
      std::copy(w.dx.data() + p * D, w.dx.data() + (p + 1) * D, dx.data() + B.row[p] * D);
  return dx;
}

}  // namespace dl::tree_lstm
