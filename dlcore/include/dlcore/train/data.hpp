#pragma once
/// \file
/// Datasets in memory and mini-batches: shuffling, gathering rows, splitting.

#include <algorithm>
#include <numeric>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// The number of examples a tensor holds: its first axis, except for a sequence batch
/// (T, N, D), whose examples are the N sequences along axis 1.
template <class E>
std::size_t num_examples(const E& e) {
  return e.dimension() == 3 ? e.shape(1) : e.shape(0);
}

/// Inputs and targets, one example per row: X is (N, D), (N, C, H, W) or a sequence batch
/// (T, N, D) (examples along axis 1); y is Labels for classification or a matrix (N, D_out)
/// for regression. For sequences of different lengths padded to one T, `lengths` holds each
/// example's length (empty: every example is full length); fit() hands a batch's lengths to
/// the layers through Context::lengths.
template <class XT, class YT = Labels>
struct Dataset {
  XT X;
  YT y;
  Lengths lengths = {};
  std::size_t size() const { return num_examples(X); }
};

/// Mini-batches of examples of similar length, so that little time goes into padding (a
/// sequence of 3 words is not padded to 40): shuffle the indices with `rng` (nullptr: keep
/// their order), stable-sort each pool of 20 batches by length, cut the pool into batches of
/// `batch_size` (the pool's last may be smaller), then shuffle the batches with `rng`. Every
/// index 0 ... lengths.size() - 1 is in exactly one batch.
inline std::vector<std::vector<std::size_t>> length_batches(const Lengths& lengths, std::size_t batch_size,
                                                            Rng* rng) {
  if (batch_size == 0) throw ValueError("length_batches: batch_size must be at least 1");
  const std::size_t n = lengths.size(), pool = 20 * batch_size;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  if (rng) order = rng->permutation(n);
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t p = 0; p < n; p += pool) {
    const auto first = order.begin() + std::ptrdiff_t(p), last = order.begin() + std::ptrdiff_t(std::min(n, p + pool));
    std::stable_sort(first, last, [&](std::size_t a, std::size_t b) { return lengths[a] < lengths[b]; });
    for (auto it = first; it < last;) {
      const auto step = std::ptrdiff_t(std::min<std::size_t>(batch_size, std::size_t(last - it)));
      batches.emplace_back(it, it + step);
      it += step;
    }
  }
  if (rng)
    for (std::size_t i = batches.size(); i > 1; --i) std::swap(batches[i - 1], batches[rng->below(i)]);
  return batches;
}

/// dst = lengths[order[begin]], ..., lengths[order[end-1]]; empty when lengths is empty.
inline void gather_lengths(const Lengths& lengths, const std::vector<std::size_t>& order,
                           std::size_t begin, std::size_t end, Lengths& dst) {
  dst.clear();
  if (lengths.empty()) return;
  for (std::size_t i = begin; i < end; ++i) dst.push_back(lengths.at(order[i]));
}

/// The number of values in one row (example) of a tensor: product of all but the first axis.
template <class E>
std::size_t row_size(const E& e) {
  std::size_t n = 1;
  for (std::size_t k = 1; k < e.dimension(); ++k) n *= e.shape(k);
  return n;
}

/// dst = the rows src[order[begin]], ..., src[order[end-1]], copied into a buffer that is
/// reused between batches (resized only when the batch size changes).
template <class E>
void gather_rows(const E& src, const std::vector<std::size_t>& order, std::size_t begin,
                 std::size_t end, E& dst) {
  auto shape = src.shape();
  shape[0] = end - begin;
  if (!std::equal(shape.begin(), shape.end(), dst.shape().begin()) ||
      dst.dimension() != src.dimension())
    dst.resize(shape);
  const std::size_t r = row_size(src);
  for (std::size_t i = begin; i < end; ++i)
    std::copy_n(src.data() + order[i] * r, r, dst.data() + (i - begin) * r);
}

/// The same for a sequence batch (T, N, D): sequences order[begin..end) of every step, into
/// (T, end - begin, D).
template <class T>
void gather_rows(const Tensor3<T>& src, const std::vector<std::size_t>& order, std::size_t begin,
                 std::size_t end, Tensor3<T>& dst) {
  const std::size_t steps = src.shape(0), N = src.shape(1), D = src.shape(2), n = end - begin;
  if (dst.shape(0) != steps || dst.shape(1) != n || dst.shape(2) != D) dst.resize({steps, n, D});
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t i = begin; i < end; ++i)
      std::copy_n(src.data() + (t * N + order[i]) * D, D, dst.data() + (t * n + i - begin) * D);
}

/// Examples [begin, end) of src as a new tensor (rows; sequences of a sequence batch).
template <class E>
E slice_rows(const E& src, std::size_t begin, std::size_t end) {
  if (begin > end || end > num_examples(src))
    throw ValueError("slice_rows: [" + std::to_string(begin) + ", " + std::to_string(end) +
                     ") is outside the " + std::to_string(num_examples(src)) + " examples");
  std::vector<std::size_t> order(end);
  std::iota(order.begin(), order.end(), std::size_t(0));
  E out;
  gather_rows(src, order, begin, end, out);
  return out;
}

/// The order of examples for one epoch: a fresh permutation when shuffling, else 0..n-1.
inline std::vector<std::size_t> epoch_order(std::size_t n, Rng& rng, bool shuffle) {
  if (shuffle) return rng.permutation(n);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  return order;
}

/// Split off the last `n_second` examples (after the given order) as a second set, e.g. a
/// validation split: {first, second}.
template <class XT, class YT>
std::pair<Dataset<XT, YT>, Dataset<XT, YT>> split(const Dataset<XT, YT>& d, std::size_t n_second,
                                                  const std::vector<std::size_t>& order) {
  const std::size_t n = d.size();
  if (n_second > n || order.size() != n)
    throw ValueError("split: cannot take " + std::to_string(n_second) + " of " +
                     std::to_string(n) + " examples");
  Dataset<XT, YT> a, b;
  gather_rows(d.X, order, 0, n - n_second, a.X);
  gather_rows(d.y, order, 0, n - n_second, a.y);
  gather_lengths(d.lengths, order, 0, n - n_second, a.lengths);
  gather_rows(d.X, order, n - n_second, n, b.X);
  gather_rows(d.y, order, n - n_second, n, b.y);
  gather_lengths(d.lengths, order, n - n_second, n, b.lengths);
  return {std::move(a), std::move(b)};
}

/// The first n examples (n clipped to the size), for --quick runs and small-data chapters.
template <class XT, class YT>
Dataset<XT, YT> head(const Dataset<XT, YT>& d, std::size_t n) {
  n = std::min(n, d.size());
  Dataset<XT, YT> h{slice_rows(d.X, 0, n), slice_rows(d.y, 0, n)};
  if (!d.lengths.empty()) h.lengths.assign(d.lengths.begin(), d.lengths.begin() + std::ptrdiff_t(n));
  return h;
}

}  // namespace dl
