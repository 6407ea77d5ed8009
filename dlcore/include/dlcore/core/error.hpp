#pragma once
/// \file
/// The exceptions dlcore throws. Every message names the component, the argument, and the
/// expected and actual values, e.g.
/// `Linear: input X has shape (128, 783) but the layer expects (N, 784)`.

#include <stdexcept>
#include <string>

namespace dl {

/// Base of every dlcore error.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A tensor of the wrong shape reached a layer, loss or function.
struct ShapeError : Error {
  using Error::Error;
};

/// A file is missing, unreadable, corrupt or truncated. The message names the file.
struct FileError : Error {
  using Error::Error;
};

/// A run diverged: the loss became NaN or infinite. The message names the step.
struct DivergenceError : Error {
  using Error::Error;
};

/// An argument outside its valid range (a negative learning rate, an unknown option, ...).
struct ValueError : Error {
  using Error::Error;
};

}  // namespace dl
