#pragma once
/// \file
/// Tree-LSTMs (Tai, Socher & Manning 2015): an LSTM whose state flows from the children of a
/// node to the node, over a batch of trees. Derivation: @ref ch22_tree_lstm "Chapter 22".
///
/// Shapes (docs/appendix_notation.md): D input features, H hidden units, n nodes of the batch,
/// E edges (child links). Both cells take a batch of trees and an input matrix X and return
/// the hidden state of every node, (n, H), in **node order** (tree_batch.hpp: the trees one
/// after another, each in its stored order, root last), so a classifier can sit on every node.
/// Backward takes dL/dh of every node in the same order (each node's own classifier's
/// gradient; what a node's parent sends is added inside) and returns dL/dX.
///
/// Inputs (TreeInputs): `every_node` (X is (n, D), one row per node in node order: dependency
/// trees, where every node is a word) or `leaves_only` (X is (leaves, D), one row per leaf in
/// node order: constituency trees, where only leaves are words and inner nodes have no
/// \f$ W x \f$ term, as x = 0 would give).
///
/// Speed (@ref ch22_tree_lstm "Chapter 22, level batching"): the nodes of one height across
/// the whole batch go through the cell together: the input projections of all nodes are one
/// GEMM, each level's recurrent products one GEMM (children's states gathered into a matrix),
/// and each weight gradient one GEMM after the backward sweep.

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/tree_batch.hpp"

namespace dl {

/// Which nodes carry an input vector x (see the file comment).
enum class TreeInputs { every_node, leaves_only };

/// Everything the Tree-LSTMs' backward needs, kept by forward in level order (position p of
/// TreeBatch). Buffers only grow, so a cache reused across batches stops allocating.
template <class T>
struct TreeLSTMCache {
  TreeBatch batch;     ///< the schedule
  std::vector<T> x;    ///< the input rows in level order (every_node) or as given (leaves_only)
  std::vector<T> a;    ///< (n, G H) gate activations [i o u f...]; Child-Sum: f columns hold
                       ///< the pre-activation W_f x + b_f shared by the node's children
  std::vector<T> c;    ///< (n, H) cell states
  std::vector<T> tc;   ///< (n, H) tanh(c)
  std::vector<T> h;    ///< (n, H) hidden states
  std::vector<T> hc;   ///< Child-Sum: (n, H) the children's summed h; binary: (n, 2H) [h_1 h_2]
  std::vector<T> he;   ///< Child-Sum: (E, H) each edge's child h
  std::vector<T> f;    ///< Child-Sum: (E, H) each edge's forget gate
  std::size_t rows_x = 0;  ///< rows of X
};

/// Backward's scratch buffers, kept by the layer so that training does not allocate.
template <class T>
struct TreeLSTMWork {
  std::vector<T> da, dh, dc, dhc, df, dhe, dx;
};

/// Child-Sum Tree-LSTM, for trees whose children are unordered and any in number. With
/// \f$ \tilde h = \sum_k h_k \f$ over the children k of a node:
/// \f[ i = \sigma(W_i x + U_i \tilde h + b_i),\ o = \sigma(W_o x + U_o \tilde h + b_o),\quad
///     u = \tanh(W_u x + U_u \tilde h + b_u),\ f_k = \sigma(W_f x + U_f h_k + b_f), \f]
/// \f[ c = i \odot u + \textstyle\sum_k f_k \odot c_k,\quad h = o \odot \tanh c. \f]
/// Backward, with \f$ \delta h \f$ (the node's own classifier's plus its parent's) and
/// \f$ \delta c \f$ from the parent: \f$ \bar\delta c = \delta c + \delta h\, o (1 - \tanh^2 c) \f$,
/// \f$ \delta a^i = \bar\delta c\, u\, i(1-i) \f$, \f$ \delta a^o = \delta h \tanh c\, o(1-o) \f$,
/// \f$ \delta a^u = \bar\delta c\, i (1-u^2) \f$, \f$ \delta a^{f_k} = \bar\delta c\, c_k f_k(1-f_k) \f$;
/// child k receives \f$ \delta c_k = \bar\delta c \odot f_k \f$ and
/// \f$ \delta h_k = U_{iou}^\top \delta a^{iou} + U_f^\top \delta a^{f_k} \f$.
///
/// Parameters, gate blocks of H rows in the order i, o, u, f: W (4H, D), U (4H, H), b (4H).
template <class T>
struct ChildSumTreeLSTM {
  static constexpr std::size_t G = 4;  ///< gate blocks
  Tensor2<T> W, U;    ///< input and recurrent weights
  Tensor1<T> b;       ///< bias
  Tensor2<T> dW, dU;  ///< gradients, accumulated by backward(); zeroed once per step
  Tensor1<T> db;
  TreeInputs inputs = TreeInputs::every_node;
  bool input_grad = true;  ///< when false, backward() skips dL/dX (returns an empty matrix)
  using Cache = TreeLSTMCache<T>;

  ChildSumTreeLSTM() = default;
  /// Every weight and bias from U(-1/sqrt(H), 1/sqrt(H)), as PyTorch's recurrent layers.
  ChildSumTreeLSTM(std::size_t d_in, std::size_t hidden, Rng& rng,
                   TreeInputs inputs = TreeInputs::every_node);
  std::size_t d_in() const { return W.shape(1); }
  std::size_t hidden() const { return U.shape(1); }

  /// h of every node (n, H) in node order, from X (see TreeInputs) over `trees`.
  Tensor2<T> forward(const std::vector<const Tree*>& trees, const Tensor2<T>& x, Cache& cache) const;
  /// dL/dX (X's shape) from dL/dh (n, H), node order; accumulates dW, dU, db.
  Tensor2<T> backward(const Tensor2<T>& dh, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "ChildSumTreeLSTM(100 -> 150)"

 private:
  TreeLSTMWork<T> work_;
};

/// Binary (N-ary with N = 2) Tree-LSTM, for binary constituency trees: the children are
/// ordered and each position l has its own matrices. With the children's states
/// \f$ h_1, h_2 \f$ and \f$ c_1, c_2 \f$ (a leaf's missing children, and a unary node's missing
/// right child, are zero states):
/// \f[ a = W x + U_1 h_1 + U_2 h_2 + b,\quad i, o, f_1, f_2 = \sigma(a^{i,o,f_1,f_2}),\quad
///     u = \tanh(a^u), \f]
/// \f[ c = i \odot u + f_1 \odot c_1 + f_2 \odot c_2,\quad h = o \odot \tanh c, \f]
/// so each forget gate \f$ f_k \f$ sees both children through its own \f$ U_{f_k l} \f$ (the
/// paper's eqs. 9-14). Backward as for the Child-Sum cell, except that the gradient of every
/// gate reaches every child: \f$ \delta h_l = U_l^\top \delta a \f$ (one GEMM for both).
///
/// Parameters, gate blocks of H rows in the order i, o, u, f_1, f_2: W (5H, D),
/// U = [U_1 U_2] (5H, 2H), b (5H).
template <class T>
struct BinaryTreeLSTM {
  static constexpr std::size_t G = 5;  ///< gate blocks
  Tensor2<T> W, U;
  Tensor1<T> b;
  Tensor2<T> dW, dU;
  Tensor1<T> db;
  TreeInputs inputs = TreeInputs::leaves_only;
  bool input_grad = true;
  using Cache = TreeLSTMCache<T>;

  BinaryTreeLSTM() = default;
  BinaryTreeLSTM(std::size_t d_in, std::size_t hidden, Rng& rng,
                 TreeInputs inputs = TreeInputs::leaves_only);
  std::size_t d_in() const { return W.shape(1); }
  std::size_t hidden() const { return U.shape(1) / 2; }

  /// h of every node (n, H) in node order. ValueError for a node with more than 2 children;
  /// a unary node's child is its left child.
  Tensor2<T> forward(const std::vector<const Tree*>& trees, const Tensor2<T>& x, Cache& cache) const;
  Tensor2<T> backward(const Tensor2<T>& dh, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "BinaryTreeLSTM(100 -> 150)"

 private:
  TreeLSTMWork<T> work_;
};

extern template struct ChildSumTreeLSTM<float>;
extern template struct ChildSumTreeLSTM<double>;
extern template struct BinaryTreeLSTM<float>;
extern template struct BinaryTreeLSTM<double>;

}  // namespace dl
