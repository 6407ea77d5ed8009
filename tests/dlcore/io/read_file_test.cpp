// What read_file hands the parsers: never a directory read as an empty file, never more
// than the caller's limit, whether the file has a size (a regular file, measured first) or
// not (a device or a pipe, read up to the limit).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/image.hpp"
#include "dlcore/io/limits.hpp"
#include "support/scratch.hpp"

using namespace dl;
using Catch::Contains;
namespace fs = std::filesystem;

TEST_CASE("A directory is not read as an empty file", "[files][errors]") {
  const fs::path d = testing::scratch_dir("io", "read_dir");
  fs::create_directories(d / "picture.png");
  REQUIRE_THROWS_WITH(read_file(d / "picture.png"), Contains("picture.png") && Contains("is a directory"));
  REQUIRE_THROWS_WITH(read_gray_image(d / "picture.png"),
                      Contains("picture.png") && Contains("is a directory"));  // not "the file is empty"
  REQUIRE_THROWS_WITH(read_json(d), Contains("is a directory"));
}

TEST_CASE("A file beyond the reader's limit is refused before it is read", "[files][errors]") {
  const fs::path d = testing::scratch_dir("io", "read_limit");
  std::ofstream(d / "ten.bin", std::ios::binary) << std::string(10, 'x');
  CHECK(read_file(d / "ten.bin", 10) == std::string(10, 'x'));
  REQUIRE_THROWS_WITH(read_file(d / "ten.bin", 9, "a test file"),
                      Contains("ten.bin") && Contains("9 bytes") && Contains("a test file"));
  CHECK(bytes_str(kMaxFileBytes) == "1 GiB");
  CHECK(bytes_str(kMaxImageFileBytes) == "64 MiB");
  CHECK(bytes_str(1000) == "1000 bytes");
}

TEST_CASE("/dev/zero as a picture is read up to the picture limit, not until memory runs out",
          "[files][image][errors]") {
  REQUIRE_THROWS_AS(read_gray_image("/dev/zero"), FileError);
  REQUIRE_THROWS_WITH(read_gray_image("/dev/zero"),
                      Contains("/dev/zero") && Contains(bytes_str(kMaxImageFileBytes)) &&
                          Contains("picture"));
  REQUIRE_THROWS_WITH(read_file("/dev/zero", 1000), Contains("/dev/zero") && Contains("1000 bytes"));
}
