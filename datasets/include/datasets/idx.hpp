#pragma once
/// \file
/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.), read directly from the
/// gzip'd files Debian ships, or from uncompressed ones. Every error names the file.
///
/// Layout: a 4-byte magic (0, 0, type 0x08 = unsigned byte, number of dimensions), one
/// big-endian 32-bit size per dimension, then the bytes, row-major.
///
/// The header's sizes are checked before anything is allocated: their product against
/// dl::kMaxIdxBytes (dlcore/io/limits.hpp) and, for an uncompressed file, against its size
/// on disk; a gzip'd file is read in chunks, so one that claims more than it holds costs
/// only what it holds.

#include <cstdint>
#include <filesystem>

#include <xtensor/xtensor.hpp>

namespace datasets {

/// Images: magic 0x00000803, shape (N, rows, cols).
xt::xtensor<std::uint8_t, 3> read_idx_images(const std::filesystem::path& path);
/// Labels: magic 0x00000801, shape (N).
xt::xtensor<std::uint8_t, 1> read_idx_labels(const std::filesystem::path& path);

/// Write IDX files (uncompressed, atomically), e.g. to make small test sets or an
/// MNIST-layout copy.
void write_idx_images(const std::filesystem::path& path, const xt::xtensor<std::uint8_t, 3>& images);
void write_idx_labels(const std::filesystem::path& path, const xt::xtensor<std::uint8_t, 1>& labels);

}  // namespace datasets
