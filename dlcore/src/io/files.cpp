#include "dlcore/io/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

namespace fs = std::filesystem;

void write_file_atomic(const fs::path& path, const std::string& bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  const fs::path tmp = path.string() + fmt::format(".tmp{}", ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw FileError(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  // Locked until renamed: remove_stale_temporaries() leaves a file alone while it is written.
  ::flock(fd, LOCK_EX);
  auto fail = [&](const std::string& what, int err) {
    ::unlink(tmp.c_str());
    ::close(fd);
    return FileError(fmt::format("{} {}: {}", what, tmp.string(), std::strerror(err)));
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw fail("cannot write", errno);
    }
    done += std::size_t(n);
  }
  // flush to disk before the rename, so a crash leaves either the old file or the new one
  if (::fsync(fd) != 0) throw fail("cannot flush", errno);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    ::close(fd);
    throw FileError(fmt::format("cannot replace {}: {}", path.string(), std::strerror(err)));
  }
  ::close(fd);  // the data is on disk and renamed; closing only drops the lock
  // and the directory entry: the rename itself survives a power cut (best effort)
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string prefix = path.filename().string() + ".tmp";  // then the writer's pid
  std::vector<fs::path> candidates, removed;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        std::all_of(name.begin() + std::ptrdiff_t(prefix.size()), name.end(),
                    [](unsigned char c) { return std::isdigit(c); }))
      candidates.push_back(it->path());
  }
  for (const auto& p : candidates) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    struct stat st {};
    // no live writer holds the lock: its process is gone, and the file was never renamed
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        ::unlink(p.c_str()) == 0)
      removed.push_back(p);
    ::close(fd);
  }
  return removed;
}

std::string read_file(const fs::path& path, std::size_t max_bytes, const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    throw FileError(fmt::format("cannot open {}: {}", path.string(),
                                err == ENOENT ? "no such file" : std::strerror(err)));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw FileError(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) throw FileError(fmt::format("{}: is a directory, not a file", path.string()));
  auto too_large = [&] {
    return FileError(fmt::format("{}: the file is larger than {}, the limit for {} "
                                 "(dlcore/io/limits.hpp)",
                                 path.string(), bytes_str(max_bytes), what));
  };
  std::string out;
  if (S_ISREG(st.st_mode)) {  // measured first: nothing is read from a file that is too large
    if (std::uint64_t(st.st_size) > max_bytes) throw too_large();
    out.reserve(std::size_t(st.st_size));
  }
  std::vector<char> buf(std::size_t(1) << 16);
  for (;;) {  // a pipe or a device has no size: read up to the limit
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw FileError(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    }
    if (n == 0) break;
    if (std::size_t(n) > max_bytes - out.size()) throw too_large();
    out.append(buf.data(), std::size_t(n));
  }
  return out;
}

nlohmann::json parse_json(const std::string& text, const std::string& where) {
  // nesting is checked as the parser goes: printing or comparing a document recurses
  const nlohmann::json::parser_callback_t depth_check =
      [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start ||
             event == nlohmann::json::parse_event_t::array_start) &&
            std::size_t(depth) >= kMaxJsonDepth)
          throw FileError(fmt::format("{}: JSON nested deeper than {} levels, the limit",
                                      where, kMaxJsonDepth));
        return true;
      };
  try {
    return nlohmann::json::parse(text, depth_check);
  } catch (const nlohmann::json::exception& e) {
    throw FileError(fmt::format("{} is not valid JSON: {}", where, e.what()));
  }
}

void write_json(const fs::path& path, const nlohmann::json& j) {
  write_file_atomic(path, j.dump(2) + "\n");
}

nlohmann::json read_json(const fs::path& path) { return parse_json(read_file(path), path.string()); }

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
