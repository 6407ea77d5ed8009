#pragma once
/// \file
/// NumPy's .npy format (version 1.0), so parameters and data saved by the book open with
/// `numpy.load`. Reading checks the magic, the header and the data length and names the
/// file in every error.

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// A decoded .npy: element type ("<f4", "<f8", "<i4", "<i8", "|u1"), shape, raw bytes.
struct NpyArray {
  std::string descr;
  std::vector<std::size_t> shape;
  std::string data;
  std::size_t size() const;
};

template <class T> std::string npy_descr();
template <> inline std::string npy_descr<float>() { return "<f4"; }
template <> inline std::string npy_descr<double>() { return "<f8"; }
template <> inline std::string npy_descr<std::int32_t>() { return "<i4"; }
template <> inline std::string npy_descr<std::int64_t>() { return "<i8"; }
template <> inline std::string npy_descr<std::uint8_t>() { return "|u1"; }

/// The bytes of a .npy file holding `shape` values of type `descr` from `data`.
std::string npy_encode(const std::string& descr, const std::vector<std::size_t>& shape,
                       const void* data, std::size_t nbytes);
/// Parse .npy bytes; `where` (a file name, an archive entry) prefixes every error.
NpyArray npy_decode(const std::string& bytes, const std::string& where);

/// Copy the values out as T (converting from any supported element type).
template <class T>
std::vector<T> npy_values(const NpyArray& a, const std::string& where);

/// A tensor as .npy bytes.
template <class E>
std::string to_npy(const E& t) {
  using T = typename E::value_type;
  return npy_encode(npy_descr<T>(), shape_of(t), t.data(), t.size() * sizeof(T));
}

/// A .npy array as a tensor of rank N; FileError if the rank differs.
template <class T, std::size_t N>
xt::xtensor<T, N> from_npy(const NpyArray& a, const std::string& where) {
  if (a.shape.size() != N)
    throw FileError(where + ": expected a " + std::to_string(N) + "-d array, found shape " +
                    shape_str(a.shape));
  std::array<std::size_t, N> shape;
  std::copy(a.shape.begin(), a.shape.end(), shape.begin());
  xt::xtensor<T, N> t = xt::xtensor<T, N>::from_shape(shape);
  const std::vector<T> v = npy_values<T>(a, where);
  std::copy(v.begin(), v.end(), t.data());
  return t;
}

/// Save one tensor as a .npy file (atomically).
template <class E>
void save_npy(const std::filesystem::path& path, const E& t);
/// Load a .npy file as a rank-N tensor of T.
template <class T, std::size_t N>
xt::xtensor<T, N> load_npy(const std::filesystem::path& path);

}  // namespace dl

#include "dlcore/io/files.hpp"

namespace dl {
template <class E>
void save_npy(const std::filesystem::path& path, const E& t) {
  write_file_atomic(path, to_npy(t));
}
template <class T, std::size_t N>
xt::xtensor<T, N> load_npy(const std::filesystem::path& path) {
  return from_npy<T, N>(npy_decode(read_file(path), path.string()), path.string());
}
}  // namespace dl
