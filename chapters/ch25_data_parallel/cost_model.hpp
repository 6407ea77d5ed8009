#pragma once
// Chapter 25: what the gradient all-reduce would cost on a real cluster -- a MODEL, not a
// measurement. Text: docs/ch25_data_parallel.md, "The cost of the all-reduce".
#include <cstddef>

namespace ch25 {

//! [ring_model]
/// Seconds of one ring all-reduce of `bytes` over p workers on links of `bytes_per_second`:
/// reduce-scatter then all-gather, 2(p - 1) steps of bytes/p each, so every worker sends
/// (and receives) 2 (p - 1) / p * bytes. Bandwidth term only: the 2 (p - 1) message
/// latencies and the additions are left out.
inline double ring_allreduce_seconds(double bytes, std::size_t p, double bytes_per_second) {
  return 2.0 * double(p - 1) / double(p) * bytes / bytes_per_second;
}
//! [ring_model]

}  // namespace ch25
