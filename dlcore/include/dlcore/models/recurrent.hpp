#pragma once
/// \file
/// Recurrent networks as Sequential models, with the cell chosen at run time: many-to-one
/// (a sequence to one output: a class, a sum) and many-to-many over the last k steps (a
/// symbol per step). Built in @ref ch17_rnn_bptt "Chapter 17" and
/// @ref ch18_lstm_gru "Chapter 18"; reused by later chapters and by `make bench`.

#include <string>

#include "dlcore/core/rng.hpp"
#include "dlcore/layers/lstm.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// The three recurrent cells of the book.
enum class CellKind { rnn, lstm, gru };

/// "rnn", "lstm" or "gru" (ValueError listing them otherwise).
CellKind parse_cell(const std::string& name);
std::string to_string(CellKind cell);

/// Append a recurrent layer of the given kind, D inputs -> H hidden units, to `net`.
template <class T>
void add_recurrent(Sequential<T>& net, CellKind cell, std::size_t d_in, std::size_t hidden, Rng& rng);

/// Many-to-one: cell (D -> H), LastStep, Linear (H -> d_out). Input (T, N, D), output
/// (N, d_out): logits for a classifier, the prediction for a regressor. Chapter 18's
/// Fashion-MNIST row reader is sequence_to_one(lstm, 28, 128, 10).
template <class T>
Sequential<T> sequence_to_one(CellKind cell, std::size_t d_in, std::size_t hidden,
                              std::size_t d_out, Rng& rng);

/// Many-to-many: cell (D -> H), FlattenSteps(k), Linear (H -> d_out), i.e. the same output
/// layer at each of the last k steps (k = 0: all). Output (k N, d_out), step-major.
template <class T>
Sequential<T> sequence_to_steps(CellKind cell, std::size_t d_in, std::size_t hidden,
                                std::size_t d_out, std::size_t k, Rng& rng);

/// Set every LSTM's forget-gate bias in `net` to `value` (b_ih's f block to value, b_hh's
/// to 0): with value 1 the cell starts out remembering (f = sigma(1) = 0.73 instead of 0.5),
/// which speeds up learning long dependencies (Gers et al. 2000; Jozefowicz et al. 2015).
/// Returns how many LSTM layers were changed.
template <class T>
std::size_t set_forget_bias(Sequential<T>& net, T value);

}  // namespace dl
