#pragma once
/// \file
/// Train/eval mode and the per-call context of a forward pass.

#include "dlcore/core/rng.hpp"

namespace dl {

/// Layers that behave differently in training and inference (dropout, batch norm) read it
/// from the Context; there is no hidden global mode.
enum class Mode { train, eval };

/// What a forward pass may need besides its input: the mode, and the run's generator for
/// stochastic layers (dropout) in training. Inference needs neither.
struct Context {
  Mode mode = Mode::eval;
  Rng* rng = nullptr;
};

}  // namespace dl
