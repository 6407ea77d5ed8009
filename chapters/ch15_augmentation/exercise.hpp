#pragma once
/// \file
/// Chapter 15 exercises: two augmentation transforms of one grey image, written by hand.
/// Statement: @ref ch15_augmentation "Chapter 15, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch15_augmentation_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <dlcore/core/tensor.hpp>

namespace ch15 {

/// Exercise 15.1: the image (H, W) moved `dy` rows down and `dx` columns right (negative:
/// up, left): out(i, j) = image(i - dy, j - dx), and 0 where that pixel is outside the image.
dl::Tensor2<float> shift_image(const dl::Tensor2<float>& image, int dy, int dx);

/// Exercise 15.2: the image's value at the real-valued position (r, c) by bilinear
/// interpolation of the four pixels around it; pixels outside the image count as 0.
float bilinear(const dl::Tensor2<float>& image, double r, double c);

}  // namespace ch15
