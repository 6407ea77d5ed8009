#pragma once
/// \file
/// Chapter 12 exercises: the output size of a convolution, and a convolution computed
/// directly from its definition (no im2col).
/// Statement: @ref ch12_convolution "Chapter 12, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch12_convolution_test.cpp) check your answers when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>

#include <xtensor/xtensor.hpp>

namespace ch12 {

/// Exercise 12.1: output length along one axis of a k-wide window moving by `stride` over
/// an input of length n padded with `pad` zeros on each side.
std::size_t output_size(std::size_t n, std::size_t k, std::size_t stride, std::size_t pad);

/// Exercise 12.2: the forward pass of a 2-D convolution layer, straight from its definition
/// \f$ Y_{n,o,h,w} = b_o + \sum_{c,i,j} W_{o,c,i,j}\, X_{n,c,hs+i-p,ws+j-p} \f$
/// (terms outside the input are zero). X (N, C_in, H, W), W (C_out, C_in, kh, kw),
/// b (C_out); returns Y (N, C_out, Ho, Wo).
xt::xtensor<double, 4> conv2d_direct(const xt::xtensor<double, 4>& X,
                                     const xt::xtensor<double, 4>& W,
                                     const xt::xtensor<double, 1>& b, std::size_t stride,
                                     std::size_t pad);

}  // namespace ch12
