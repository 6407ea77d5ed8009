// Chapter 23: the tape. Each operation: the forward value now, the vjp for later.
#include "autograd.hpp"

#include <cmath>

#include <fmt/format.h>
#include <xtensor/xmath.hpp>
#include <xtensor-blas/xlinalg.hpp>

#include <dlcore/core/error.hpp>
#include <dlcore/core/tensor.hpp>

namespace ch23 {

Var Tape::push(Mat value, Vjp vjp) {
  nodes_.push_back(Node{std::move(value), Mat{}, std::move(vjp)});
  return Var{nodes_.size() - 1};
}

Var Tape::leaf(Mat value) { return push(std::move(value), nullptr); }

void Tape::accumulate(Var v, const Mat& g) {
  Mat& dst = nodes_.at(v.id).grad;
  if (dst.shape() != g.shape())
    throw dl::ShapeError(fmt::format("Tape: gradient of node {} has shape {}, its value {}", v.id,
                                     dl::shape_str(dl::shape_of(g)), dl::shape_str(dl::shape_of(dst))));
  dst += g;
}

//! [tape_ops]
Var Tape::matmul(Var a, Var b) {
  if (value(a).shape(1) != value(b).shape(0))
    throw dl::ShapeError(fmt::format("Tape::matmul: ({}, {}) times ({}, {})", value(a).shape(0),
                                     value(a).shape(1), value(b).shape(0), value(b).shape(1)));
  Mat c = xt::linalg::dot(value(a), value(b));
  return push(std::move(c), [a, b](Tape& t, const Mat& dc) {
    t.accumulate(a, xt::linalg::dot(dc, xt::transpose(t.value(b))));  // dA += dC B^T
    t.accumulate(b, xt::linalg::dot(xt::transpose(t.value(a)), dc));  // dB += A^T dC
  });
}

Var Tape::add_bias(Var x, Var b) {
  if (value(b).shape(0) != 1 || value(b).shape(1) != value(x).shape(1))
    throw dl::ShapeError(fmt::format("Tape::add_bias: bias ({}, {}) for a ({}, {}) input",
                                     value(b).shape(0), value(b).shape(1), value(x).shape(0),
                                     value(x).shape(1)));
  Mat y = value(x) + value(b);  // b (1, K) broadcasts over the N rows
  return push(std::move(y), [x, b](Tape& t, const Mat& dy) {
    t.accumulate(x, dy);                                                 // dX += dY
    const dl::Tensor1<double> db = xt::sum(dy, {0}, xt::evaluation_strategy::immediate);  // 1^T dY
    t.accumulate(b, xt::reshape_view(db, {std::size_t(1), db.size()}));                    // db += 1^T dY
  });
}

Var Tape::relu(Var x) {
  Mat y = xt::maximum(value(x), 0.0);
  return push(std::move(y), [x](Tape& t, const Mat& dy) {
    t.accumulate(x, xt::where(t.value(x) > 0.0, dy, 0.0));  // dX += dY [X > 0]
  });
}

Var Tape::softmax_cross_entropy(Var z, const dl::Labels& y) {
  const Mat& Z = value(z);
  const std::size_t N = Z.shape(0), K = Z.shape(1);
  if (y.size() != N) throw dl::ShapeError(fmt::format("Tape::softmax_cross_entropy: {} labels for {} rows", y.size(), N));
  Mat P = Z;
  double loss = 0;
  for (std::size_t i = 0; i < N; ++i) {  // stable softmax row by row, then -log p(y_i)
    if (std::size_t(y[i]) >= K) throw dl::ShapeError(fmt::format("Tape::softmax_cross_entropy: label {} of row {} is not in [0, {})", y[i], i, K));
    auto row = xt::row(P, std::ptrdiff_t(i));
    row -= xt::amax(row)();
    row = xt::exp(row);
    row /= xt::sum(row)();
    loss -= std::log(P(i, std::size_t(y[i])));
  }
  Mat L = {{loss / double(N)}};
  return push(std::move(L), [z, P = std::move(P), y](Tape& t, const Mat& dL) {
    Mat dz = P;  // (P - Y) / N, times the incoming scalar
    for (std::size_t i = 0; i < y.size(); ++i) dz(i, std::size_t(y[i])) -= 1.0;
    t.accumulate(z, dz * (dL(0, 0) / double(y.size())));
  });
}
//! [tape_ops]

Var Tape::unary(Var x, Mat y, std::function<Mat(const Mat&, const Mat&, const Mat&)> dx_of) {
  if (y.shape() != value(x).shape()) throw dl::ShapeError("Tape::unary: the value must have its input's shape");
  const std::size_t self = nodes_.size();  // the new node's id, to read its own value back
  return push(std::move(y), [x, self, dx_of = std::move(dx_of)](Tape& t, const Mat& dy) {
    t.accumulate(x, dx_of(t.value(x), t.value(Var{self}), dy));
  });
}

//! [tape_backward]
void Tape::backward(Var loss) {
  if (value(loss).size() != 1) throw dl::ShapeError("Tape::backward: the loss must be a (1, 1) value");
  for (auto& n : nodes_) n.grad = xt::zeros<double>(n.value.shape());  // zero every gradient
  nodes_[loss.id].grad(0, 0) = 1.0;                                     // dL/dL = 1
  for (std::size_t i = loss.id + 1; i-- > 0;)  // the tape in reverse: outputs before inputs
    if (nodes_[i].vjp) nodes_[i].vjp(*this, nodes_[i].grad);
}
//! [tape_backward]

}  // namespace ch23
