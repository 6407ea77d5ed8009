// Hostile .npz archives: entries that share their bytes (a ZIP "bomb" by overlap) and
// repeated names are refused before their data is copied.
#include <catch2/catch.hpp>

#include <fstream>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/npz.hpp"
#include "support/scratch.hpp"

using namespace dl;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {
std::uint32_t get32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + std::size_t(i)]);
  return v;
}
void put16(std::string& s, std::size_t at, std::uint32_t v) {
  s[at] = char(v & 0xff);
  s[at + 1] = char(v >> 8);
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  put16(s, at, v & 0xffff);
  put16(s, at + 2, v >> 16);
}
// The archive with its one central-directory record repeated `copies` times: every copy
// points at the same local entry and its data.
std::string repeated_entry(const std::string& zip, std::size_t copies) {
  const std::size_t end = zip.size() - 22;             // end-of-central-directory record
  const std::size_t cd = get32(zip, end + 16), cd_size = get32(zip, end + 12);
  const std::string record = zip.substr(cd, cd_size);  // one entry: one record
  std::string out = zip.substr(0, cd);
  for (std::size_t k = 0; k < copies; ++k) out += record;
  std::string eocd = zip.substr(end);
  put16(eocd, 8, std::uint32_t(copies));
  put16(eocd, 10, std::uint32_t(copies));
  put32(eocd, 12, std::uint32_t(cd_size * copies));
  return out + eocd;
}
}  // namespace

TEST_CASE("An .npz whose entries share their bytes is refused before copying them", "[npz][errors]") {
  const fs::path d = testing::scratch_dir("io", "npz_overlap");
  write_npz(d / "one.npz", {{"a.npy", std::string(100000, 'x')}});
  const std::string zip = read_file(d / "one.npz");
  // 1,000 directory records for one 100 kB entry: 100 MB in memory from a 150 kB file
  std::ofstream(d / "bomb.npz", std::ios::binary) << repeated_entry(zip, 1000);
  REQUIRE_THROWS_AS(read_npz(d / "bomb.npz"), FileError);
  REQUIRE_THROWS_WITH(read_npz(d / "bomb.npz"), Contains("bomb.npz") && Contains("a.npy") &&
                                                    Contains("overlaps"));
  std::ofstream(d / "one_again.npz", std::ios::binary) << repeated_entry(zip, 1);
  CHECK(read_npz(d / "one_again.npz").size() == 1);  // the construction itself is sound
}

TEST_CASE("An .npz with an entry named twice is refused", "[npz][errors]") {
  const fs::path d = testing::scratch_dir("io", "npz_twice");
  write_npz(d / "twice.npz", {{"a.npy", "1"}, {"a.npy", "2"}});
  REQUIRE_THROWS_WITH(read_npz(d / "twice.npz"), Contains("twice.npz") && Contains("a.npy") &&
                                                     Contains("twice"));
}
