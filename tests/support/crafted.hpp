#pragma once
// Crafted input files for the hostile-input tests: a few lines of C++ each, instead of
// binary blobs. A .npy with any header text, and an .npz with one entry replaced.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "dlcore/io/npz.hpp"

namespace testing {

/// A version-1 .npy file with the header dictionary `dict` (written as given, e.g.
/// "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 7), }") and `data` after it.
inline std::string npy_bytes(const std::string& dict, const std::string& data) {
  const std::string header = dict + "\n";
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char((header.size() >> 8) & 0xff);
  return out + header + data;
}

/// `count` doubles of value `v` as raw bytes.
inline std::string doubles(std::size_t count, double v = 0.5) {
  std::string s(count * sizeof(double), '\0');
  for (std::size_t i = 0; i < count; ++i) std::memcpy(&s[i * sizeof(double)], &v, sizeof(double));
  return s;
}

/// Rewrite the archive `path` with the entry `name` set to `bytes` (added if missing). The
/// CRC-32 is recomputed, so only the contents are hostile.
inline void replace_entry(const std::filesystem::path& path, const std::string& name,
                          const std::string& bytes) {
  dl::NpzEntries entries = dl::read_npz(path);
  bool found = false;
  for (auto& e : entries)
    if (e.first == name) e.second = bytes, found = true;
  if (!found) entries.emplace_back(name, bytes);
  dl::write_npz(path, entries);
}

}  // namespace testing
