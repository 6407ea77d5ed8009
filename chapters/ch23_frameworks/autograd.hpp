#pragma once
/// \file
/// Chapter 23: a tiny reverse-mode automatic differentiation over matrices, what PyTorch's
/// autograd and TensorFlow's GradientTape do, in about 150 lines. Every operation computes
/// its value at once (eager, like PyTorch) and records on the tape which inputs it read and
/// how to send a gradient back to them (its vector-Jacobian product, "vjp"). backward()
/// walks the tape from the last node to the first, so each node's gradient is complete
/// before its vjp runs: the same order as the book's hand-written backward passes, found
/// by the tape instead of by the programmer. Gradients accumulate (+=), so a value used
/// twice needs no special case. Text: @ref ch23_frameworks "Chapter 23, a tape".

#include <cstddef>
#include <functional>
#include <vector>

#include <dlcore/core/tensor.hpp>

namespace ch23 {

using Mat = dl::Tensor2<double>;  ///< every value on the tape is a matrix; a scalar is (1, 1)

/// A value on a tape: the index of the node that computed it.
struct Var {
  std::size_t id;
};

/// The tape: a list of nodes in the order they were computed.
class Tape {
 public:
  /// What a node sends back: given its own gradient (complete when this runs), add to the
  /// gradients of its inputs. Reads values and writes gradients through the tape.
  using Vjp = std::function<void(Tape& tape, const Mat& grad)>;

  /// An input or a parameter: a node without inputs.
  Var leaf(Mat value);
  /// \f$ C = A B \f$; vjp: \f$ \bar A \mathrel{+}= \bar C B^\top,\ \bar B \mathrel{+}= A^\top \bar C \f$.
  Var matmul(Var a, Var b);
  /// \f$ Y = X + \mathbf{1} b \f$ with b (1, K); vjp: \f$ \bar X \mathrel{+}= \bar Y,\ \bar b \mathrel{+}= \mathbf{1}^\top \bar Y \f$.
  Var add_bias(Var x, Var b);
  /// \f$ Y = \max(X, 0) \f$; vjp: \f$ \bar X \mathrel{+}= \bar Y \odot [X > 0] \f$.
  Var relu(Var x);
  /// Mean softmax cross-entropy of logits Z (N, K) against labels y, a (1, 1) value;
  /// vjp: \f$ \bar Z \mathrel{+}= \bar L \frac{1}{N}(P - Y) \f$.
  Var softmax_cross_entropy(Var z, const dl::Labels& y);
  /// Any elementwise function whose value the caller computed: y = f(x), with the local
  /// derivative given as `dx_of(x, y, dy)`, returning what to add to x's gradient.
  Var unary(Var x, Mat y, std::function<Mat(const Mat& x, const Mat& y, const Mat& dy)> dx_of);

  /// Reverse sweep from `loss` (a (1, 1) value): its gradient is set to 1, every other
  /// gradient to zero first; then each node's vjp, last node first.
  void backward(Var loss);

  const Mat& value(Var v) const { return nodes_.at(v.id).value; }
  const Mat& grad(Var v) const { return nodes_.at(v.id).grad; }
  /// Add `g` to the gradient of v (what a vjp calls); ShapeError if the shapes differ.
  void accumulate(Var v, const Mat& g);
  std::size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    Mat value, grad;
    Vjp vjp;  ///< empty for a leaf
  };
  Var push(Mat value, Vjp vjp);
  std::vector<Node> nodes_;
};

}  // namespace ch23
