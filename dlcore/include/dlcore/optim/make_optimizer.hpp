#pragma once
/// \file
/// Optimizers by name, for programs that compare several (@ref ch06_optimizers "Chapter 6")
/// or take one from the command line.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dlcore/optim/optimizer.hpp"

namespace dl {

/// The names make_optimizer() accepts, in the order of Chapter 6:
/// sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw.
const std::vector<std::string>& optimizer_names();

/// A fresh optimizer by name with learning rate `lr` and, if given, weight decay
/// `weight_decay` (L2 for all but adamw, decoupled for adamw); without it, each class's
/// default (0, and 0.01 for dl::AdamW as in PyTorch). "momentum" and "nesterov" are dl::SGD
/// with momentum 0.9; the other settings are their class's defaults (dl::Adagrad,
/// dl::RMSprop, dl::Adam, dl::AdamW). ValueError listing the valid names for an unknown one.
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, T lr,
                                             std::optional<T> weight_decay = std::nullopt);

extern template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string&, float,
                                                                        std::optional<float>);
extern template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string&, double,
                                                                          std::optional<double>);

}  // namespace dl
