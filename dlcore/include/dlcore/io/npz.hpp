#pragma once
/// \file
/// NumPy's .npz: a ZIP archive of .npy entries, stored uncompressed. One file holds a whole
/// model (parameters, buffers, a JSON description), opens with `numpy.load`, and is written
/// atomically. The reader checks every entry's CRC-32, so a corrupt or truncated file is
/// reported (naming the file and the entry) instead of silently loading garbage.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace dl {

/// Named byte blobs, in archive order.
using NpzEntries = std::vector<std::pair<std::string, std::string>>;

/// Write the entries as an uncompressed ZIP, atomically.
void write_npz(const std::filesystem::path& path, const NpzEntries& entries);
/// The bytes write_npz writes; `where` names the file in errors.
std::string encode_npz(const NpzEntries& entries, const std::string& where = "npz");
/// Read every entry of a ZIP with stored (uncompressed) entries, as written by write_npz or
/// numpy.savez. FileError names the file and what is wrong.
NpzEntries read_npz(const std::filesystem::path& path);
/// The same from the archive's bytes; `where` (the file) starts every error message.
NpzEntries decode_npz(const std::string& bytes, const std::string& where);

}  // namespace dl
