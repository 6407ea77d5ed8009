#pragma once
/// \file
/// Writing files so that nothing a user saved is ever half-written: write a temporary file
/// beside the target, flush it to disk, then rename it over the target (atomic on POSIX).

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dlcore/io/limits.hpp"

namespace dl {

/// Replace `path` with `bytes` atomically; creates the parent directory. Throws FileError.
/// The temporary file is `path` + ".tmp" + the process id, locked (flock) while it is
/// written: a process killed before the rename leaves it behind, unlocked.
void write_file_atomic(const std::filesystem::path& path, const std::string& bytes);

/// Remove the temporary files of write_file_atomic(path) that no running process is writing
/// (left by one killed mid-write); returns their names. Resuming from a checkpoint calls it.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& path);

/// The whole file as bytes. FileError naming the file if it is missing, unreadable, a
/// directory, or larger than `max_bytes` (`what` says whose limit it is, e.g. "a picture").
/// A regular file is measured before it is read; anything else (a pipe, /dev/zero) is read
/// up to the limit.
std::string read_file(const std::filesystem::path& path, std::size_t max_bytes = kMaxFileBytes,
                      const std::string& what = "a file dlcore reads");

/// Parse JSON text; FileError naming `where` (a file, an archive entry) and the problem if it
/// is not valid JSON or nests deeper than kMaxJsonDepth.
nlohmann::json parse_json(const std::string& text, const std::string& where);

/// Write JSON (pretty, 2 spaces) atomically, e.g. a chapter's metrics.json.
void write_json(const std::filesystem::path& path, const nlohmann::json& j);
/// Read JSON; FileError naming the file and the parse error if it is not valid JSON.
nlohmann::json read_json(const std::filesystem::path& path);

/// Write a CSV with a header row and equally long numeric columns.
void write_csv(const std::filesystem::path& path, const std::vector<std::string>& header,
               const std::vector<std::vector<double>>& columns);

}  // namespace dl
