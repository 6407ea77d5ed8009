#pragma once
/// \file
/// Writing files so that nothing a user saved is ever half-written: write a temporary file
/// beside the target, flush it to disk, then rename it over the target (atomic on POSIX).

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace dl {

/// Replace `path` with `bytes` atomically; creates the parent directory. Throws FileError.
void write_file_atomic(const std::filesystem::path& path, const std::string& bytes);

/// The whole file as bytes; FileError naming the file if it is missing or unreadable.
std::string read_file(const std::filesystem::path& path);

/// Write JSON (pretty, 2 spaces) atomically, e.g. a chapter's metrics.json.
void write_json(const std::filesystem::path& path, const nlohmann::json& j);
/// Read JSON; FileError naming the file and the parse error if it is not valid JSON.
nlohmann::json read_json(const std::filesystem::path& path);

/// Write a CSV with a header row and equally long numeric columns.
void write_csv(const std::filesystem::path& path, const std::vector<std::string>& header,
               const std::vector<std::vector<double>>& columns);

}  // namespace dl
