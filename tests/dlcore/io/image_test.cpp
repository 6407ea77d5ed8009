// Reading a user's picture: PGM (P2, P5, 8- and 16-bit) and PNG, with clear errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/image.hpp"
#include "support/scratch.hpp"

using namespace dl;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) { return testing::scratch_dir("io", name); }
fs::path write_bytes(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
  return p;
}
// A 3 x 2 8-bit gray PNG (rows 0 128 255 / 51 102 204) and a 2 x 1 RGBA PNG (white, then
// white fully transparent), made with Python's zlib.
const char kGrayPng[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x03\x00\x00"
    "\x00\x02\x08\x00\x00\x00\x00\xb8\x1f\x39\xc6\x00\x00\x00\x10\x49\x44\x41\x54\x78\x9c\x63"
    "\x60\x68\xf8\xcf\x60\x9c\x76\x06\x00\x0a\x34\x02\xe5\x50\xd5\x86\x30\x00\x00\x00\x00\x49"
    "\x45\x4e\x44\xae\x42\x60\x82";
const char kRgbaPng[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00"
    "\x00\x01\x08\x06\x00\x00\x00\xf4\x22\x7f\x8a\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63"
    "\xf8\x0f\x01\x0c\x00\x22\xe6\x06\xfa\x08\xfa\x02\x27\x00\x00\x00\x00\x49\x45\x4e\x44\xae"
    "\x42\x60\x82";
std::string bytes_of(const char* a, std::size_t n) { return std::string(a, n - 1); }
}  // namespace

TEST_CASE("Plain PGM (P2) with comments reads as values / maxval", "[image]") {
  const fs::path d = scratch("image_p2");
  const auto p = write_bytes(d / "a.pgm", "P2\n# a comment\n3 2 # width height\n4\n0 1 2\n3 4 0\n");
  const Tensor2<float> img = read_gray_image(p);
  REQUIRE(img.shape(0) == 2);
  REQUIRE(img.shape(1) == 3);
  CHECK(img(0, 1) == 0.25f);
  CHECK(img(1, 0) == 0.75f);
  CHECK(img(1, 1) == 1.0f);
}

TEST_CASE("Binary PGM (P5), 8-bit and 16-bit (most significant byte first)", "[image]") {
  const fs::path d = scratch("image_p5");
  std::string b8 = "P5 2 2 255\n";
  b8 += std::string("\x00\xff\x33\x80", 4);
  const Tensor2<float> a = read_gray_image(write_bytes(d / "a.pgm", b8));
  CHECK(a(0, 0) == 0.0f);
  CHECK(a(0, 1) == 1.0f);
  CHECK(a(1, 0) == Approx(0.2));
  CHECK(a(1, 1) == Approx(128.0 / 255));
  std::string b16 = "P5\n2 1\n65535\n";
  b16 += std::string("\x01\x00\xff\xff", 4);  // 256 and 65535
  const Tensor2<float> b = read_gray_image(write_bytes(d / "b.pgm", b16));
  CHECK(b(0, 0) == Approx(256.0 / 65535));
  CHECK(b(0, 1) == 1.0f);
}

TEST_CASE("write_pgm round trips through read_gray_image", "[image]") {
  const fs::path d = scratch("image_write");
  Tensor2<float> img = {{0.0f, 0.5f, 1.0f}, {0.25f, 0.75f, 2.0f}};  // 2.0 is clipped to 1
  write_pgm(d / "w8.pgm", img);
  write_pgm(d / "w16.pgm", img, 65535);
  const Tensor2<float> r8 = read_gray_image(d / "w8.pgm", 2, 3);
  const Tensor2<float> r16 = read_gray_image(d / "w16.pgm", 2, 3);
  CHECK(read_file(d / "w8.pgm").substr(0, 11) == "P5\n3 2\n255\n");
  CHECK(r8(0, 1) == Approx(128.0 / 255));  // 0.5 * 255 = 127.5 rounds to 128
  CHECK(r8(1, 2) == 1.0f);
  CHECK(r16(1, 0) == Approx(0.25).margin(1e-5));
}

TEST_CASE("PNG: gray and colour with transparency (composited on black)", "[image]") {
  const fs::path d = scratch("image_png");
  const Tensor2<float> g = read_gray_image(write_bytes(d / "g.png", bytes_of(kGrayPng, sizeof kGrayPng)));
  REQUIRE(g.shape(0) == 2);
  REQUIRE(g.shape(1) == 3);
  CHECK(g(0, 0) == 0.0f);
  CHECK(g(0, 1) == Approx(128.0 / 255));
  CHECK(g(0, 2) == 1.0f);
  CHECK(g(1, 2) == Approx(204.0 / 255));
  const Tensor2<float> c = read_gray_image(write_bytes(d / "c.png", bytes_of(kRgbaPng, sizeof kRgbaPng)));
  CHECK(c(0, 0) == 1.0f);
  CHECK(c(0, 1) == 0.0f);
}

TEST_CASE("Bad image files give errors naming the file and the problem", "[image][errors]") {
  const fs::path d = scratch("image_errors");
  auto fails = [&](const std::string& file, const std::string& bytes, const std::string& what) {
    const fs::path p = write_bytes(d / file, bytes);
    INFO(file);
    REQUIRE_THROWS_AS(read_gray_image(p), FileError);
    REQUIRE_THROWS_WITH(read_gray_image(p), Catch::Contains(file) && Catch::Contains(what));
  };
  fails("trunc5.pgm", "P5 4 4 255\n" + std::string(10, 'x'), "truncated");
  fails("trunc5b.pgm", "P5 4 4 255\n" + std::string(10, 'x'), "need 16 bytes");
  fails("trunc2.pgm", "P2 2 2 255 1 2 3", "found 3 of the 2 x 2 = 4");
  fails("header.pgm", "P5 28", "ends before the height");
  fails("word.pgm", "P2 2 x 255", "expected the height");
  fails("maxval.pgm", "P5 2 2 70000\n" + std::string(8, 'x'), "maxval is 70000");
  fails("over.pgm", "P2 2 1 10 3 11", "above maxval 10");
  fails("empty.pgm", "", "empty");
  fails("zero.pgm", "P2 0 3 255", "0 x 3");
  fails("color.ppm", "P6 1 1 255\nabc", "P6");
  fails("text.txt", "hello", "not a PGM");
  fails("bad.png", bytes_of(kGrayPng, sizeof kGrayPng).substr(0, 40), "PNG");
  REQUIRE_THROWS_WITH(read_gray_image(d / "missing.pgm"), Catch::Contains("missing.pgm"));

  // the wrong size names both sizes
  write_pgm(d / "small.pgm", Tensor2<float>(xt::zeros<float>({20, 10})));
  REQUIRE_THROWS_WITH(read_gray_image(d / "small.pgm", 28, 28),
                      Catch::Contains("small.pgm") && Catch::Contains("10 x 20") &&
                          Catch::Contains("expected 28 x 28"));
  CHECK(read_gray_image(d / "small.pgm", 20, 10).shape(1) == 10);
}
