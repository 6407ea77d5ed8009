#pragma once
/// \file
/// Reading a user's own grayscale picture (and writing one): PGM, plain (P2) or binary (P5)
/// with any maxval up to 65535, and PNG through libpng (colour converted to gray, alpha
/// composited on black). Pixel values become floats in [0, 1], 0 = black, as in
/// Fashion-MNIST. Every error is a FileError naming the file and what is wrong.
/// Used by @ref ch16_transfer_learning "Chapter 16" to classify a picture.

#include <filesystem>
#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// The image in `path` (PGM or PNG, told apart by their first bytes) as an (H, W) matrix
/// of values in [0, 1].
Tensor2<float> read_gray_image(const std::filesystem::path& path);

/// The same, requiring a height x width image: a FileError names the file and both sizes
/// otherwise.
Tensor2<float> read_gray_image(const std::filesystem::path& path, std::size_t height,
                               std::size_t width);

/// Decode PGM bytes; `name` (the file) starts every error message.
Tensor2<float> decode_pgm(const std::string& bytes, const std::string& name);

/// Decode PNG bytes; `name` (the file) starts every error message.
Tensor2<float> decode_png(const std::string& bytes, const std::string& name);

/// Write an (H, W) image with values in [0, 1] (clipped) as binary PGM (P5) with the given
/// maxval (255: one byte per pixel; up to 65535: two bytes, most significant first).
void write_pgm(const std::filesystem::path& path, const Tensor2<float>& image,
               int maxval = 255);

}  // namespace dl
