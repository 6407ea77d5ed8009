#pragma once
// Chapter 23: the tape against the book's hand-written backward passes, on chapter 4's MLPs.
#include <cstdint>
#include <vector>

#include <dlcore/dlcore.hpp>

#include "autograd.hpp"

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
TapeGrads tape_mlp_grads(dl::Sequential<double>& net, const Mat& X, const dl::Labels& y,
                         Var (*f)(Tape&, Var));

/// What the chapter reports: the largest relative error between the tape's gradients and
/// dlcore's over every tensor of chapter 4's spiral MLP (2-64-64-3, ReLU, double); the same
/// for the tanh MLP of chapter 4's gradient check (2-8-3), which uses exercise 23.1; and the
/// time of one forward and backward pass each way.
struct TapeCheck {
  double max_rel_error = 0, tanh_rel_error = 0, hand_us = 0, tape_us = 0;
  std::size_t nodes = 0;
};
TapeCheck check_tape_on_ch04_mlp(std::uint64_t seed);

/// A ReLU node (Tape::relu) in the shape `f` takes.
Var relu(Tape& tape, Var x);

}  // namespace ch23
