// Hostile IDX files: headers that claim more data than the file holds (plain or gzip'd),
// more than the limit, or a size whose product overflows; images that are not 28 x 28.
// The claim is checked before anything is allocated: a small bad file costs little memory
// and time, and the error names the file, the sizes and the limit.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "datasets/idx.hpp"
#include "datasets/mnist.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/io/limits.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using namespace datasets;
using Catch::Contains;

namespace {

// An IDX header of unsigned bytes with these dimensions, then `data`.
std::string idx_bytes(const std::vector<std::uint32_t>& dims, const std::string& data) {
  std::string s = {0, 0, 8, char(dims.size())};
  for (const std::uint32_t d : dims)
    s += {char(d >> 24), char((d >> 16) & 0xff), char((d >> 8) & 0xff), char(d & 0xff)};
  return s + data;
}
void write_plain(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}
void write_gzip(const fs::path& p, const std::string& bytes) {
  gzFile f = gzopen(p.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, bytes.data(), unsigned(bytes.size())) == int(bytes.size()));
  gzclose(f);
}
// Peak resident memory of this process so far, in MB.
double peak_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

}  // namespace

TEST_CASE("An IDX header claiming far more than the file holds costs neither memory nor time",
          "[idx][errors]") {
  const fs::path d = testing::scratch_dir("datasets", "idx_claims");
  // 1 x 40,000 x 40,000 images (1.6 GB) announced by a file of 116 bytes, plain and gzip'd
  const std::string claim = idx_bytes({1, 40000, 40000}, std::string(100, '\x7f'));
  write_plain(d / "plain-idx3-ubyte", claim);
  write_gzip(d / "zipped-idx3-ubyte.gz", claim);
  for (const char* name : {"plain-idx3-ubyte", "zipped-idx3-ubyte.gz"}) {
    INFO(name);
    const double before = peak_mb();
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE_THROWS_AS(read_idx_images(d / name), dl::FileError);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(peak_mb() - before < 64);  // the claimed 1.6 GB was never allocated
    CHECK(seconds < 2);              // nor zero-filled
    REQUIRE_THROWS_WITH(read_idx_images(d / name),
                        Contains(name) && Contains("truncated") && Contains("1 x 40000 x 40000") &&
                            Contains("the file has 100"));
  }
}

TEST_CASE("An IDX header beyond the limit, or overflowing 64 bits, names the file and the limit",
          "[idx][errors]") {
  const fs::path d = testing::scratch_dir("datasets", "idx_limit");
  write_plain(d / "big-idx3-ubyte", idx_bytes({1, 100000, 100000}, ""));  // 10 GB
  REQUIRE_THROWS_AS(read_idx_images(d / "big-idx3-ubyte"), dl::FileError);  // not bad_alloc
  REQUIRE_THROWS_WITH(read_idx_images(d / "big-idx3-ubyte"),
                      Contains("big-idx3-ubyte") && Contains("1 x 100000 x 100000") &&
                          Contains(dl::bytes_str(dl::kMaxIdxBytes)));
  // 4 x 2^31 x 2^31 = 2^64: the product wraps to 0, which an empty file would satisfy
  write_plain(d / "wraps-idx3-ubyte", idx_bytes({4, 2147483648u, 2147483648u}, ""));
  REQUIRE_THROWS_WITH(read_idx_images(d / "wraps-idx3-ubyte"),
                      Contains("wraps-idx3-ubyte") && Contains("4 x 2147483648 x 2147483648"));
  write_gzip(d / "wraps-labels.gz", idx_bytes({4294967295u}, "abc"));  // 4 GB of labels claimed
  REQUIRE_THROWS_WITH(read_idx_labels(d / "wraps-labels.gz"),
                      Contains("wraps-labels.gz") && Contains("4294967295"));
}

TEST_CASE("IDX images that are not 28 x 28 are refused when a split is loaded", "[idx][errors]") {
  const fs::path d = testing::scratch_dir("datasets", "idx_side");
  xt::xtensor<std::uint8_t, 3> img = xt::zeros<std::uint8_t>({3, 10, 12});
  write_idx_images(d / "train-images-idx3-ubyte", img);
  write_idx_labels(d / "train-labels-idx1-ubyte", xt::zeros<std::uint8_t>({3}));
  REQUIRE_THROWS_AS(load_idx_split(d, Split::train), dl::FileError);
  REQUIRE_THROWS_WITH(load_idx_split(d, Split::train),
                      Contains("train-images-idx3-ubyte") && Contains("10 x 12") && Contains("28 x 28"));
  CHECK(read_idx_images(d / "train-images-idx3-ubyte").shape(2) == 12);  // the reader itself is general
}
