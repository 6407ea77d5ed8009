#pragma once
/// \file
/// Train/eval mode and the per-call context of a forward pass.

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// Layers that behave differently in training and inference (dropout, batch norm) read it
/// from the Context; there is no hidden global mode.
enum class Mode { train, eval };

/// What a forward pass may need besides its input: the mode, the run's generator for
/// stochastic layers (dropout) in training, and for a batch of variable-length sequences the
/// length of each (recurrent layers and LastStep read it; null: every sequence has all T).
struct Context {
  Mode mode = Mode::eval;
  Rng* rng = nullptr;
  const Lengths* lengths = nullptr;
};

}  // namespace dl
