#pragma once
/// \file
/// Data augmentation: label-preserving random transforms of image mini-batches
/// (N, C, H, W), applied afresh to every training batch through FitOptions::augment.
/// Horizontal and vertical flips, shifts (the same as padding by k and cropping back at a random
/// place), small rotations and scalings (bilinear resampling; what comes in from outside
/// the image is 0). Every channel of an image gets the same transform.
/// Text: @ref ch15_augmentation "Chapter 15".

#include <functional>
#include <vector>

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// A random transform of a batch of images (N, C, H, W), in place, drawing its parameters
/// from `rng` (the type of FitOptions::augment).
using Augment = std::function<void(Tensor4<float>& batch, Rng& rng)>;

// ---- Exact transforms: the same parameters for every image of the batch ----------------

/// Mirror left-right: \f$ x'_{ij} = x_{i,W-1-j} \f$.
void flip_horizontal(Tensor4<float>& x);

/// Mirror top-bottom (upside down): \f$ x'_{ij} = x_{H-1-i,\,j} \f$.
void flip_vertical(Tensor4<float>& x);

/// Move the content `dy` rows down and `dx` columns right, filling with 0:
/// \f$ x'_{ij} = x_{i-dy,\,j-dx} \f$ (0 where that is outside the image).
void shift(Tensor4<float>& x, int dy, int dx);

/// Rotate counter-clockwise by `degrees` and magnify by `scale` about the image centre
/// \f$ (c_y, c_x) = ((H-1)/2, (W-1)/2) \f$: output pixel (i, j) reads the input at
/// \f$ r = c_y + (\sin\theta\,u + \cos\theta\,v)/s,\ c = c_x + (\cos\theta\,u - \sin\theta\,v)/s \f$
/// with \f$ u = j - c_x, v = i - c_y \f$, interpolated bilinearly (outside pixels are 0).
/// Source coordinates within 1e-9 of a whole number are snapped to it, so quarter turns
/// and scale 1 move pixels exactly.
void rotate_scale(Tensor4<float>& x, double degrees, double scale = 1.0);

/// Bilinear interpolation of an H x W image (row-major) at row r, column c; pixels outside
/// the image count as 0.
float bilinear_at(const float* image, std::size_t H, std::size_t W, double r, double c);

// ---- Random transforms: each image draws its own parameters ------------------------------

/// Flip each image left-right with probability p.
Augment random_flip(double p = 0.5);
/// Flip each image upside down with probability p.
Augment random_vflip(double p = 0.5);
/// Shift each image by whole pixels dy, dx drawn uniformly from [-max_shift, max_shift]
/// (pad by max_shift with zeros, crop a random H x W window).
Augment random_shift(int max_shift);
/// Rotate each image by an angle drawn uniformly from [-max_degrees, max_degrees].
Augment random_rotation(double max_degrees);
/// Scale each image by a factor drawn uniformly from [min_scale, max_scale].
Augment random_scale(double min_scale, double max_scale);
/// Apply the steps in order (each to the whole batch).
Augment compose(std::vector<Augment> steps);

}  // namespace dl
