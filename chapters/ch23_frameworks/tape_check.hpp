#pragma once
// Chapter 23: the tape against the book's hand-written backward passes, on chapter 4's MLPs.
#include <chrono>
#include <cstdint>
#include <vector>

#include <dlcore/core/compare.hpp>
#include <dlcore/dlcore.hpp>
#include <datasets/synthetic.hpp>

#include "autograd.hpp"
#include "exercise.hpp"

namespace ch23 {

/// The gradients of W1, b1, ..., of an MLP (Linear, f, Linear, f, ..., Linear) with mean
/// softmax cross-entropy, found by the tape; `f` records the hidden activation on the tape.
/// The weights are read from `net` (a dlcore Sequential of Linear and activation layers);
/// biases are (1, K) on the tape and come back as (K).
struct TapeGrads {
  std::vector<Mat> dW;
  std::vector<dl::Tensor1<double>> db;
  std::size_t nodes = 0;  ///< nodes the tape recorded
};

/// What the chapter reports: the largest relative error between the tape's gradients and
/// dlcore's over every tensor of chapter 4's spiral MLP (2-64-64-3, ReLU, double); the same
/// for the tanh MLP of chapter 4's gradient check (2-8-3), which uses exercise 23.1; and the
/// time of one forward and backward pass each way.
struct TapeCheck {
  double max_rel_error = 0, tanh_rel_error = 0, hand_us = 0, tape_us = 0;
  std::size_t nodes = 0;
};

using namespace dl;

/// A ReLU node (Tape::relu) in the shape tape_mlp_grads' `f` takes.
inline Var relu(Tape& tape, Var x) { return tape.relu(x); }

/// Record the MLP `net` on a tape and sweep it backward (see TapeGrads).
//! [tape_mlp]
inline TapeGrads tape_mlp_grads(Sequential<double>& net, const Mat& X, const Labels& y, Var (*f)(Tape&, Var)) {
  Tape tape;
  std::vector<Var> W, b;
  Var h = tape.leaf(X);
  for (std::size_t i = 0; i < net.size(); i += 2) {  // Linear, f, Linear, f, ..., Linear
    const auto& layer = net.layer<Linear<double>>(i);
    W.push_back(tape.leaf(layer.W));
    b.push_back(tape.leaf(xt::reshape_view(layer.b, {std::size_t(1), layer.b.size()})));
    h = tape.add_bias(tape.matmul(h, W.back()), b.back());  // Z = H W + 1 b
    if (i + 1 < net.size()) h = f(tape, h);                 // H = f(Z)
  }
  const Var loss = tape.softmax_cross_entropy(h, y);
  tape.backward(loss);  // every gradient, found by walking the tape backwards
  TapeGrads g;
  for (std::size_t l = 0; l < W.size(); ++l) {
    g.dW.push_back(tape.grad(W[l]));
    g.db.push_back(xt::flatten(tape.grad(b[l])));
  }
  g.nodes = tape.size();
  return g;
}
//! [tape_mlp]

namespace detail {

// dlcore's gradients (the hand-written backward passes), then the largest relative error
// between them and the tape's over every tensor.
inline double compare(Sequential<double>& net, const Mat& X, const Labels& y, Var (*f)(Tape&, Var),
               std::size_t* nodes = nullptr) {
  SoftmaxCrossEntropy<double> loss;
  SoftmaxCrossEntropy<double>::Cache cache;
  net.zero_grad();
  loss.forward(net.forward2(X), y, cache);
  net.backward(loss.backward(cache));
  const TapeGrads g = tape_mlp_grads(net, X, y, f);
  double worst = 0;
  for (std::size_t l = 0; l < g.dW.size(); ++l) {
    const auto& layer = net.layer<Linear<double>>(2 * l);
    worst = std::max({worst, relative_error(g.dW[l], layer.dW), relative_error(g.db[l], layer.db)});
  }
  if (nodes) *nodes = g.nodes;
  return worst;
}

template <class F>
inline double microseconds(F&& f, int reps) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < reps; ++r) f();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
}

}  // namespace detail

/// The check the chapter reports (see TapeCheck), for the weights drawn with `seed`.
inline TapeCheck check_tape_on_ch04_mlp(std::uint64_t seed) {
  Rng rng(seed);
  const auto spirals = datasets::spirals<double>(200, 3, rng);  // chapter 4's data, 600 points
  const auto batch = head(spirals, 64);
  TapeCheck c;
  //! [check]
  Sequential<double> net;  // chapter 4's spiral MLP, in double
  net.add(Linear<double>(2, 64, rng, Init::he_uniform)).add(ReLU<double>{})
      .add(Linear<double>(64, 64, rng, Init::he_uniform)).add(ReLU<double>{})
      .add(Linear<double>(64, 3, rng));
  c.max_rel_error = detail::compare(net, batch.X, batch.y, relu, &c.nodes);
  //! [check]
  Sequential<double> tanh_net;  // chapter 4's gradient-check MLP: tanh hidden units
  tanh_net.add(Linear<double>(2, 8, rng)).add(Tanh<double>{}).add(Linear<double>(8, 3, rng));
  c.tanh_rel_error = detail::compare(tanh_net, batch.X, batch.y, ch23::tanh);

  // The price of recording: one forward and backward pass each way
  SoftmaxCrossEntropy<double> loss;
  SoftmaxCrossEntropy<double>::Cache cache;
  c.hand_us = detail::microseconds([&] {
    net.zero_grad();
    loss.forward(net.forward2(batch.X), batch.y, cache);
    net.backward(loss.backward(cache));
  }, 200);
  c.tape_us = detail::microseconds([&] { tape_mlp_grads(net, batch.X, batch.y, relu); }, 200);
  return c;
}

}  // namespace ch23
