#include "dlcore/io/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

namespace fs = std::filesystem;

void write_file_atomic(const fs::path& path, const std::string& bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + fmt::format(".tmp{}", ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw FileError(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw FileError(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(err)));
    }
    done += std::size_t(n);
  }
  // flush to disk before the rename, so a crash leaves either the old file or the new one
  const int synced = ::fsync(fd), sync_err = errno;
  const int closed = ::close(fd), close_err = errno;  // closed even when fsync failed
  if (synced != 0 || closed != 0) {
    ::unlink(tmp.c_str());
    throw FileError(fmt::format("cannot flush {}: {}", tmp.string(),
                                std::strerror(synced != 0 ? sync_err : close_err)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw FileError(fmt::format("cannot replace {}: {}", path.string(), std::strerror(err)));
  }
  // and the directory entry: the rename itself survives a power cut (best effort)
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw FileError(fmt::format("cannot open {}: {}", path.string(),
                                      fs::exists(path) ? "permission denied" : "no such file"));
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void write_json(const fs::path& path, const nlohmann::json& j) {
  write_file_atomic(path, j.dump(2) + "\n");
}

nlohmann::json read_json(const fs::path& path) {
  const std::string text = read_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw FileError(fmt::format("{} is not valid JSON: {}", path.string(), e.what()));
  }
}

void write_csv(const fs::path& path, const std::vector<std::string>& header,
               const std::vector<std::vector<double>>& columns) {
  if (header.size() != columns.size())
    throw ValueError(fmt::format("write_csv {}: {} names for {} columns", path.string(),
                                 header.size(), columns.size()));
  const std::size_t rows = columns.empty() ? 0 : columns[0].size();
  for (const auto& c : columns)
    if (c.size() != rows)
      throw ValueError(fmt::format("write_csv {}: columns differ in length", path.string()));
  std::ostringstream out;
  out.precision(9);
  for (std::size_t k = 0; k < header.size(); ++k) out << (k ? "," : "") << header[k];
  out << '\n';
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t k = 0; k < columns.size(); ++k) out << (k ? "," : "") << columns[k][i];
    out << '\n';
  }
  write_file_atomic(path, out.str());
}

}  // namespace dl
