#include "dlcore/io/npz.hpp"

#include <zlib.h>

#include <cstdint>
#include <set>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"

namespace dl {

namespace {

void put16(std::string& s, std::uint32_t v) {
  s += char(v & 0xff);
  s += char((v >> 8) & 0xff);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}
std::uint32_t get16(const std::string& s, std::size_t at) {
  return std::uint32_t(static_cast<unsigned char>(s[at])) |
         std::uint32_t(static_cast<unsigned char>(s[at + 1])) << 8;
}
std::uint32_t get32(const std::string& s, std::size_t at) {
  return get16(s, at) | get16(s, at + 2) << 16;
}
std::uint32_t crc(const std::string& data) {
  return std::uint32_t(::crc32(::crc32(0L, Z_NULL, 0),
                               reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
}

constexpr std::uint32_t kLocal = 0x04034b50, kCentral = 0x02014b50, kEnd = 0x06054b50;
constexpr std::uint32_t kDosDate = (2020 - 1980) << 9 | 1 << 5 | 1;  // a fixed date: same bytes every run

}  // namespace

void write_npz(const std::filesystem::path& path, const NpzEntries& entries) {
  write_file_atomic(path, encode_npz(entries, path.string()));
}

std::string encode_npz(const NpzEntries& entries, const std::string& where) {
  if (entries.size() > 0xffff)
    throw FileError(fmt::format("{}: {} entries are more than a ZIP without ZIP64 holds", where,
                                entries.size()));
  std::string out, central;
  for (const auto& entry : entries) {
    const std::string& name = entry.first;  // not a structured binding: the lambda below
    const std::string& data = entry.second; // captures them (C++17 forbids capturing bindings)
    if (data.size() >= 0xffffffffu || name.size() > 0xffff)
      throw FileError(fmt::format("{}: entry {} is too large for a ZIP without ZIP64",
                                  where, name));
    if (out.size() + data.size() > 0xfffffff0u)
      throw FileError(where + ": more than 4 GiB, too large for a ZIP without ZIP64");
    const std::uint32_t offset = std::uint32_t(out.size()), c = crc(data);
    auto common = [&](std::string& s) {  // fields shared by local and central headers
      put16(s, 20);  // version needed: 2.0
      put16(s, 0);   // flags
      put16(s, 0);   // method: stored
      put16(s, 0);   // time
      put16(s, kDosDate);
      put32(s, c);
      put32(s, std::uint32_t(data.size()));  // compressed size
      put32(s, std::uint32_t(data.size()));  // uncompressed size
      put16(s, std::uint32_t(name.size()));
      put16(s, 0);  // extra field length
    };
    put32(out, kLocal);
    common(out);
    out += name;
    out += data;
    put32(central, kCentral);
    put16(central, 20);  // version made by
    common(central);
    put16(central, 0);  // comment length
    put16(central, 0);  // disk number
    put16(central, 0);  // internal attributes
    put32(central, 0);  // external attributes
    put32(central, offset);
    central += name;
  }
  const std::uint32_t cd_offset = std::uint32_t(out.size());
  out += central;
  put32(out, kEnd);
  put16(out, 0);
  put16(out, 0);
  put16(out, std::uint32_t(entries.size()));
  put16(out, std::uint32_t(entries.size()));
  put32(out, std::uint32_t(central.size()));
  put32(out, cd_offset);
  put16(out, 0);  // comment length
  return out;
}

NpzEntries read_npz(const std::filesystem::path& path) {
  return decode_npz(read_file(path), path.string());
}

NpzEntries decode_npz(const std::string& f, const std::string& where) {
  auto fail = [&](const std::string& what) { return FileError(where + ": " + what); };
  if (f.size() < 22) throw fail("too short to be an .npz archive (truncated?)");
  // The end-of-central-directory record is the last 22 bytes plus an optional comment.
  std::size_t end = std::string::npos;
  for (std::size_t p = f.size() - 22;; --p) {
    if (get32(f, p) == kEnd) {
      end = p;
      break;
    }
    if (p == 0 || f.size() - p > 22 + 0xffff) break;
  }
  if (end == std::string::npos)
    throw fail(get32(f, 0) == kLocal ? "the archive is truncated (no central directory)"
                                     : "not an .npz archive (no ZIP signature)");
  const std::size_t count = get16(f, end + 10);
  std::size_t at = get32(f, end + 16);
  NpzEntries entries;
  std::set<std::string> names;
  std::size_t stored = 0;  // bytes of all entries so far: at most the archive's own size
  for (std::size_t k = 0; k < count; ++k) {
    if (at + 46 > f.size() || get32(f, at) != kCentral) throw fail("corrupt central directory");
    const std::uint32_t method = get16(f, at + 10), c = get32(f, at + 16);
    const std::size_t size = get32(f, at + 20), usize = get32(f, at + 24);
    const std::size_t nlen = get16(f, at + 28), xlen = get16(f, at + 30), clen = get16(f, at + 32);
    const std::size_t local = get32(f, at + 42);
    if (at + 46 + nlen > f.size()) throw fail("corrupt central directory");
    const std::string name = f.substr(at + 46, nlen);
    if (method != 0)
      throw fail("entry " + name + " is compressed; only stored entries (numpy.savez) are read");
    if (size != usize || size == 0xffffffffu) throw fail("entry " + name + " uses ZIP64 sizes");
    if (local + 30 > f.size() || get32(f, local) != kLocal)
      throw fail("entry " + name + ": corrupt local header");
    if (local + 30 + nlen > f.size() || f.compare(local + 30, nlen, name) != 0)
      throw fail("entry " + name + ": local header does not match the directory");
    const std::size_t data_at = local + 30 + get16(f, local + 26) + get16(f, local + 28);
    if (data_at + size > f.size())
      throw fail(fmt::format("entry {} is truncated: {} bytes expected, {} present", name, size,
                             f.size() > data_at ? f.size() - data_at : 0));
    // entries that share their bytes would multiply the archive's size in memory
    stored += data_at + size - local;
    if (stored > f.size())
      throw fail(fmt::format("entry {} overlaps other entries (the entries claim more than the "
                             "{} bytes of the archive)",
                             name, f.size()));
    if (!names.insert(name).second) throw fail("entry " + name + " appears twice");
    std::string data = f.substr(data_at, size);
    if (crc(data) != c) throw fail("entry " + name + " is corrupt (CRC-32 mismatch)");
    entries.emplace_back(name, std::move(data));
    at += 46 + nlen + xlen + clen;
  }
  return entries;
}

}  // namespace dl
