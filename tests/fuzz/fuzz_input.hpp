#pragma once
// What every harness shares: the fuzzer's bytes as a file the real readers open by path
// (a memfd: in memory, a regular file to stat and gzopen), and the rule that a harness may
// see only dl::Error, which carries a message for the user. Anything else escaping a
// reader (std::out_of_range, nlohmann::type_error, std::bad_alloc, ...) is a finding:
// the harness aborts and libFuzzer saves the input.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "dlcore/core/error.hpp"

namespace fuzz {

/// One in-memory file for the whole run, rewritten for every input.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("dlbook-fuzz", 0)) {
    if (fd_ < 0) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  /// Replace the contents; returns the path to open.
  const std::string& write(const std::string& bytes) {
    if (::ftruncate(fd_, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, off_t(done));
      if (n <= 0) std::abort();
      done += std::size_t(n);
    }
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

inline MemFile& mem_file() {
  static MemFile f;
  return f;
}

/// Run `f`; a dl::Error is the expected outcome for a bad file, anything else aborts.
template <class F>
void expect_only_dl_errors(F&& f) {
  try {
    f();
  } catch (const dl::Error&) {
    // a clear message naming the file: what a bad file should get
  } catch (const std::exception& e) {
    std::fprintf(stderr, "finding: a non-dlcore exception escaped: %s\n", e.what());
    std::abort();
  }
}

}  // namespace fuzz

#include <vector>

#include "dlcore/io/npz.hpp"

namespace fuzz {

/// The archive a model or checkpoint harness reads. Raw archive bytes ("PK...") are used as
/// they are: that fuzzes the ZIP layer, whose CRC-32 stops most mutations. Anything else is
/// a list of entries, "@@ NAME\n" then the entry's bytes up to the next "\n@@ ", encoded
/// into a valid archive: that fuzzes what lies behind the CRC (model.json, checkpoint.json,
/// every .npy) with mutations that keep the archive sound.
inline std::string archive_from(const std::string& bytes) {
  if (bytes.rfind("@@ ", 0) != 0) return bytes;
  dl::NpzEntries entries;
  std::size_t at = 3;
  while (at <= bytes.size()) {
    const std::size_t eol = bytes.find('\n', at);
    if (eol == std::string::npos) break;
    std::size_t next = bytes.find("\n@@ ", eol + 1);
    if (next == std::string::npos) next = bytes.size();
    entries.emplace_back(bytes.substr(at, eol - at), bytes.substr(eol + 1, next - eol - 1));
    at = next + 4;
  }
  if (entries.size() > 0xffff) return std::string();
  return dl::encode_npz(entries, "fuzz.npz");
}

/// The entry-list form of an archive's entries (for the seed corpora).
inline std::string entry_list(const dl::NpzEntries& entries) {
  std::string out;
  for (std::size_t k = 0; k < entries.size(); ++k)
    out += (k ? "\n@@ " : "@@ ") + entries[k].first + "\n" + entries[k].second;
  return out;
}

}  // namespace fuzz
