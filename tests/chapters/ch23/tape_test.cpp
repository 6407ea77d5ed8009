// Chapter 23's tape (chapters/ch23_frameworks/autograd.hpp): the gradients it finds by itself
// equal the book's hand-written backward passes on chapter 4's MLP, in double.
#include <catch2/catch.hpp>

#include <dlcore/core/compare.hpp>
#include <dlcore/layers/activations.hpp>
#include <dlcore/layers/linear.hpp>
#include <dlcore/losses/cross_entropy.hpp>
#include <dlcore/train/data.hpp>
#include <dlcore/train/sequential.hpp>
#include <datasets/synthetic.hpp>
#include <xtensor-blas/xlinalg.hpp>

#include "autograd.hpp"

using ch23::Mat;
using ch23::Tape;
using ch23::Var;

namespace {

Mat row(const dl::Tensor1<double>& b) { return xt::reshape_view(b, {std::size_t(1), b.size()}); }

// The MLP Linear, ReLU, Linear, ReLU, ..., Linear of `net` recorded on `tape`; returns the
// loss and fills W, b with the parameters' nodes.
Var record_mlp(Tape& tape, dl::Sequential<double>& net, const Mat& X, const dl::Labels& y,
               std::vector<Var>& W, std::vector<Var>& b) {
  Var h = tape.leaf(X);
  for (std::size_t i = 0; i < net.size(); i += 2) {
    const auto& layer = net.layer<dl::Linear<double>>(i);
    W.push_back(tape.leaf(layer.W));
    b.push_back(tape.leaf(row(layer.b)));
    h = tape.add_bias(tape.matmul(h, W.back()), b.back());
    if (i + 1 < net.size()) h = tape.relu(h);
  }
  return tape.softmax_cross_entropy(h, y);
}

}  // namespace

TEST_CASE("ch23 tape: chapter 4's spiral MLP gets dlcore's hand-written gradients", "[ch23][tape]") {
  dl::Rng rng(7);
  const auto spirals = datasets::spirals<double>(100, 3, rng);
  const auto batch = dl::head(spirals, 64);
  dl::Sequential<double> net;  // 2-64-64-3 ReLU, as chapter 4
  net.add(dl::Linear<double>(2, 64, rng, dl::Init::he_uniform)).add(dl::ReLU<double>{})
      .add(dl::Linear<double>(64, 64, rng, dl::Init::he_uniform)).add(dl::ReLU<double>{})
      .add(dl::Linear<double>(64, 3, rng));
  dl::SoftmaxCrossEntropy<double> sce;
  dl::SoftmaxCrossEntropy<double>::Cache cache;
  net.zero_grad();
  const double hand_loss = sce.forward(net.forward2(batch.X), batch.y, cache);
  net.backward(sce.backward(cache));

  Tape tape;
  std::vector<Var> W, b;
  const Var loss = record_mlp(tape, net, batch.X, batch.y, W, b);
  tape.backward(loss);
  CHECK(tape.value(loss)(0, 0) == Approx(hand_loss).epsilon(1e-14));
  CHECK(tape.size() == 1 + 3 * 4 + 2 * 1 + 1);  // X; per layer W, b, XW, +b; 2 ReLUs; the loss
  for (std::size_t l = 0; l < 3; ++l) {
    const auto& layer = net.layer<dl::Linear<double>>(2 * l);
    INFO("layer " << l);
    CHECK(dl::relative_error(tape.grad(W[l]), layer.dW) < 1e-13);
    CHECK(dl::relative_error(tape.grad(b[l]), row(layer.db)) < 1e-13);
    CHECK(xt::amax(xt::abs(layer.dW))() > 1e-6);  // gradients that are there to compare
  }
}

TEST_CASE("ch23 tape: a value used twice accumulates both gradients", "[ch23][tape]") {
  // L = sum(R * (A A)): dL/dA = R A^T + A^T R
  Tape tape;
  const Mat A0 = {{1.0, 2.0}, {-0.5, 3.0}}, R0 = {{0.3, -1.0}, {2.0, 0.5}};
  const Var A = tape.leaf(A0);
  const Var C = tape.matmul(A, A);
  // sum(R * C) = 1^T (R * C) 1 = trace(R^T C): record it as matmul with ones after an
  // elementwise product written as a unary node
  const Var RC = tape.unary(C, tape.value(C) * R0, [R0](const Mat&, const Mat&, const Mat& dy) -> Mat { return dy * R0; });
  const Var s = tape.matmul(tape.matmul(tape.leaf(Mat{{1.0, 1.0}}), RC), tape.leaf(Mat{{1.0}, {1.0}}));
  tape.backward(s);
  const Mat expected = xt::linalg::dot(R0, xt::transpose(A0)) + xt::linalg::dot(xt::transpose(A0), R0);
  CHECK(dl::relative_error(tape.grad(A), expected) < 1e-15);
}

TEST_CASE("ch23 tape: the ReLU and softmax cross-entropy nodes against central differences", "[ch23][tape]") {
  const Mat Z0 = {{0.4, -1.3, 2.1}, {-0.2, 0.7, 0.05}};
  const dl::Labels y = {2, 0};
  auto loss_at = [&](const Mat& Z) {
    Tape t;
    return t.value(t.softmax_cross_entropy(t.relu(t.leaf(Z)), y))(0, 0);
  };
  Tape tape;
  const Var Z = tape.leaf(Z0);
  tape.backward(tape.softmax_cross_entropy(tape.relu(Z), y));
  const double h = 1e-6;
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) {
      Mat up = Z0, down = Z0;
      up(i, j) += h, down(i, j) -= h;
      CHECK(tape.grad(Z)(i, j) == Approx((loss_at(up) - loss_at(down)) / (2 * h)).margin(1e-9));
    }
  CHECK(tape.grad(Z)(0, 1) == 0.0);  // a ReLU that was off passes no gradient
}

TEST_CASE("ch23 tape: shape errors are named", "[ch23][tape][errors]") {
  Tape tape;
  const Var a = tape.leaf(Mat{{1.0, 2.0}});
  CHECK_THROWS_WITH(tape.matmul(a, a), Catch::Contains("Tape::matmul") && Catch::Contains("(1, 2) times (1, 2)"));
  CHECK_THROWS_AS(tape.add_bias(a, tape.leaf(Mat{{1.0, 2.0, 3.0}})), dl::ShapeError);
  CHECK_THROWS_WITH(tape.backward(a), Catch::Contains("(1, 1)"));
  CHECK_THROWS_WITH(tape.softmax_cross_entropy(a, dl::Labels{5}), Catch::Contains("label 5"));
}
