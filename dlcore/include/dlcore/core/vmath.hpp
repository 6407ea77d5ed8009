#pragma once
/// \file
/// Vectorised sigmoid and tanh over contiguous memory, for the recurrent cells' gates.
///
/// A recurrent layer evaluates a sigmoid or tanh for every gate of every step: about a
/// billion of them in one epoch of Chapter 18's LSTM on Fashion-MNIST. The C library's scalar
/// `std::tanh` costs tens of nanoseconds each on the book's machine; xsimd's SIMD versions
/// (the library xtensor itself uses) under one. They agree with the scalar functions to a
/// few units in the last place.

#include <cstddef>

/// Before a loop whose iterations are independent, for a loop over several blocks that the
/// compiler cannot prove apart (the gates of a recurrent cell): vectorise it without
/// run-time overlap checks. GCC alone gives up on such a loop ("complicated access pattern").
#if defined(__clang__)
#define DL_VECTORIZE _Pragma("clang loop vectorize(assume_safety)")
#elif defined(__GNUC__)
#define DL_VECTORIZE _Pragma("GCC ivdep")
#else
#define DL_VECTORIZE
#endif

namespace dl {

/// \f$ p_i \leftarrow \sigma(p_i) = 1 / (1 + e^{-p_i}) \f$ for i in [0, n), without overflow.
template <class T>
void sigmoid_inplace(T* p, std::size_t n);

/// \f$ p_i \leftarrow \tanh p_i \f$ for i in [0, n).
template <class T>
void tanh_inplace(T* p, std::size_t n);

/// \f$ out_i = \tanh in_i \f$ for i in [0, n).
template <class T>
void tanh_into(const T* in, T* out, std::size_t n);

}  // namespace dl
