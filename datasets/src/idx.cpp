#include "datasets/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/limits.hpp"

namespace datasets {

namespace fs = std::filesystem;
using dl::FileError;

namespace {

// gzopen reads gzip'd and plain files alike.
struct GzFile {
  gzFile f = nullptr;
  explicit GzFile(const fs::path& p) : f(gzopen(p.c_str(), "rb")) {}
  ~GzFile() {
    if (f) gzclose(f);
  }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
};

std::uint32_t big_endian(const unsigned char* b) {
  return std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 |
         std::uint32_t(b[3]);
}

// Read an IDX file of unsigned bytes with `rank` dimensions; returns dims and data.
std::vector<std::uint8_t> read_idx(const fs::path& path, std::size_t rank,
                                   std::vector<std::size_t>& dims) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw FileError(fmt::format("{}: no such file", path.string()));
  if (fs::is_directory(path, ec)) throw FileError(fmt::format("{}: is a directory", path.string()));
  GzFile gz(path);
  if (!gz.f) throw FileError(fmt::format("{}: cannot open", path.string()));
  unsigned char magic[4];
  if (gzread(gz.f, magic, 4) != 4)
    throw FileError(fmt::format("{}: truncated: the file is shorter than the IDX magic number",
                                path.string()));
  const std::uint32_t m = big_endian(magic);
  const std::uint32_t expected = 0x0800u | std::uint32_t(rank);
  if (m != expected)
    throw FileError(fmt::format("{}: wrong magic number 0x{:08x}, expected 0x{:08x} ({})",
                                path.string(), m, expected,
                                rank == 3 ? "IDX images of unsigned bytes" : "IDX labels of unsigned bytes"));
  dims.assign(rank, 0);
  for (std::size_t k = 0; k < rank; ++k) {
    unsigned char b[4];
    if (gzread(gz.f, b, 4) != 4)
      throw FileError(fmt::format("{}: truncated in the header (dimension {} of {})",
                                  path.string(), k + 1, rank));
    dims[k] = big_endian(b);
  }
  // The header's claim, checked before anything is allocated: against the limit, and for
  // an uncompressed file against the bytes on disk.
  std::string shape;
  for (std::size_t k = 0; k < rank; ++k) shape += fmt::format("{}{}", k ? " x " : "", dims[k]);
  const std::optional<std::size_t> claimed = dl::checked_product(dims);
  if (!claimed || *claimed > dl::kMaxIdxBytes)
    throw FileError(fmt::format("{}: the header announces {} bytes ({}), more than the {} an IDX "
                                "file may hold (dl::kMaxIdxBytes)",
                                path.string(), claimed ? std::to_string(*claimed) : "2^64 or more",
                                shape, dl::bytes_str(dl::kMaxIdxBytes)));
  const std::size_t total = *claimed, header = 4 * (rank + 1);
  const auto on_disk = fs::file_size(path, ec);
  if (!ec && gzdirect(gz.f) && on_disk < header + total)
    throw FileError(fmt::format("{}: truncated: the header announces {} bytes of data ({}), the "
                                "file has {}",
                                path.string(), total, shape, on_disk > header ? on_disk - header : 0));
  // Read in chunks, the buffer growing only as data arrives: a gzip'd file that claims more
  // than it holds costs what it holds.
  constexpr std::size_t kFirst = std::size_t(1) << 20;  // 1 MiB, then as much again as arrived
  std::vector<std::uint8_t> data;
  std::size_t got = 0;
  while (got < total) {
    const std::size_t want = std::min({total - got, std::max(kFirst, got), std::size_t(1) << 30});
    data.resize(got + want);
    const int n = gzread(gz.f, data.data() + got, unsigned(want));
    if (n < 0) {
      int err = 0;
      const char* msg = gzerror(gz.f, &err);
      throw FileError(fmt::format("{}: corrupt compressed data: {}", path.string(), msg));
    }
    if (n == 0) break;
    got += std::size_t(n);
  }
  if (got < total)
    throw FileError(fmt::format("{}: truncated: the header announces {} bytes of data ({}), the "
                                "file has {}",
                                path.string(), total, shape, got));
  return data;
}

void write_idx(const fs::path& path, const std::vector<std::size_t>& dims, const std::uint8_t* data,
               std::size_t n) {
  std::string bytes;
  auto put = [&](std::uint32_t v) {
    for (const int shift : {24, 16, 8, 0}) bytes += char((v >> shift) & 0xff);
  };
  put(0x0800u | std::uint32_t(dims.size()));
  for (auto d : dims) {
    if (d > 0xffffffffu)
      throw FileError(fmt::format("{}: dimension {} does not fit the IDX header's 32 bits",
                                  path.string(), d));
    put(std::uint32_t(d));
  }
  bytes.append(reinterpret_cast<const char*>(data), n);
  dl::write_file_atomic(path, bytes);
}

}  // namespace

xt::xtensor<std::uint8_t, 3> read_idx_images(const fs::path& path) {
  std::vector<std::size_t> d;
  auto data = read_idx(path, 3, d);
  xt::xtensor<std::uint8_t, 3> out = xt::xtensor<std::uint8_t, 3>::from_shape({d[0], d[1], d[2]});
  std::copy(data.begin(), data.end(), out.data());
  return out;
}

xt::xtensor<std::uint8_t, 1> read_idx_labels(const fs::path& path) {
  std::vector<std::size_t> d;
  auto data = read_idx(path, 1, d);
  xt::xtensor<std::uint8_t, 1> out = xt::xtensor<std::uint8_t, 1>::from_shape({d[0]});
  std::copy(data.begin(), data.end(), out.data());
  return out;
}

void write_idx_images(const fs::path& path, const xt::xtensor<std::uint8_t, 3>& images) {
  write_idx(path, {images.shape(0), images.shape(1), images.shape(2)}, images.data(), images.size());
}

void write_idx_labels(const fs::path& path, const xt::xtensor<std::uint8_t, 1>& labels) {
  write_idx(path, {labels.shape(0)}, labels.data(), labels.size());
}

}  // namespace datasets
