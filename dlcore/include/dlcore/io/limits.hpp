#pragma once
/// \file
/// The largest inputs the readers accept, stated once. Every reader checks what a file's
/// header claims against these limits and against the bytes actually present *before* it
/// allocates, so a crafted or damaged file costs at most its own size in memory and time.
/// An input beyond a limit is a FileError naming the file, the field and the limit.
///
/// | what | limit | checked by |
/// |---|---|---|
/// | a file read whole (model, checkpoint, .npy, JSON) | kMaxFileBytes | read_file |
/// | a picture file (PGM, PNG) | kMaxImageFileBytes | read_gray_image |
/// | a picture's size | kMaxImagePixels | decode_pgm, decode_png |
/// | an IDX dataset file's data (after gunzip) | kMaxIdxBytes | read_idx_images, read_idx_labels |
/// | the dimensions of one .npy array | kMaxNpyDims | npy_decode |
/// | the nesting of a JSON document (model.json, checkpoint.json) | kMaxJsonDepth | parse_json |
///
/// The element count of every shape (.npy, IDX) is multiplied with an overflow check.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace dl {

/// 1 GiB: the largest model, checkpoint, .npy or JSON file read into memory. The book's
/// largest checkpoint (ch13's CNN with Adam's moments) is under 10 MB.
inline constexpr std::size_t kMaxFileBytes = std::size_t(1) << 30;
/// 64 MiB: the largest picture file (a 16-bit binary PGM of kMaxImagePixels needs 32 MiB).
inline constexpr std::size_t kMaxImageFileBytes = std::size_t(1) << 26;
/// 16 megapixels (4096 x 4096): the largest picture decoded.
inline constexpr std::size_t kMaxImagePixels = std::size_t(1) << 24;
/// 2 GiB: the largest IDX data (N x rows x cols bytes); Fashion-MNIST's training images
/// are 47 MB.
inline constexpr std::size_t kMaxIdxBytes = std::size_t(1) << 31;
/// 32: NumPy's own limit on the number of dimensions of an array.
inline constexpr std::size_t kMaxNpyDims = 32;
/// 64: the deepest nesting of arrays and objects in a JSON document read (dlcore writes 3).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// "1 GiB", "64 MiB", "512 bytes": a limit as people say it.
std::string bytes_str(std::size_t n);

/// The product of `dims` (the element count of a shape), or nothing when the product of
/// its non-zero dimensions, which an array's strides multiply, does not fit in a ptrdiff_t:
/// a crafted header.
std::optional<std::size_t> checked_product(const std::vector<std::size_t>& dims);

}  // namespace dl
