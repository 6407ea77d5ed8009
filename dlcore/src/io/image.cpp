#include "dlcore/io/image.hpp"

#include <png.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/limits.hpp"

namespace dl {

namespace {

// Reads the whitespace-separated decimal numbers of a PGM header (and of a P2 raster),
// skipping "#" comments to the end of the line.
class PgmTokens {
 public:
  PgmTokens(const std::string& bytes, const std::string& name) : s_(bytes), name_(name) {}

  /// The next number, or -1 at the end of the data. `what` names it in error messages.
  long next(const char* what) {
    skip_space_and_comments();
    if (pos_ >= s_.size()) return -1;
    if (!std::isdigit(static_cast<unsigned char>(s_[pos_])))
      throw FileError(fmt::format("{}: corrupt PGM: expected the {} (a number) at byte {}, found '{}'",
                                  name_, what, pos_, printable(s_[pos_])));
    long v = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      v = v * 10 + (s_[pos_++] - '0');
      if (v > 1000000000L)
        throw FileError(fmt::format("{}: corrupt PGM: the {} is too large", name_, what));
    }
    return v;
  }
  /// A number that must be there.
  long require(const char* what) {
    const long v = next(what);
    if (v < 0) throw FileError(fmt::format("{}: truncated PGM: the file ends before the {}", name_, what));
    return v;
  }
  std::size_t pos() const { return pos_; }
  void advance(std::size_t n) { pos_ += n; }

 private:
  void skip_space_and_comments() {
    while (pos_ < s_.size()) {
      if (s_[pos_] == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(s_[pos_]))) {
        ++pos_;
      } else {
        break;
      }
    }
  }
  static std::string printable(char c) {
    return std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                       : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  }
  const std::string& s_;
  const std::string& name_;
  std::size_t pos_ = 2;  // after the magic number
};

}  // namespace

Tensor2<float> decode_pgm(const std::string& bytes, const std::string& name) {
  if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '2' && bytes[1] != '5'))
    throw FileError(fmt::format("{}: not a PGM image (it does not start with P2 or P5)", name));
  const bool binary = bytes[1] == '5';
  PgmTokens tok(bytes, name);
  const long width = tok.require("width"), height = tok.require("height");
  const long maxval = tok.require("maxval");
  if (width == 0 || height == 0)
    throw FileError(fmt::format("{}: corrupt PGM: the image is {} x {} pixels", name, width, height));
  if (std::size_t(width) * std::size_t(height) > kMaxImagePixels)
    throw FileError(fmt::format("{}: the image is {} x {} pixels, more than the {} pixels a picture "
                                "may have (dl::kMaxImagePixels)",
                                name, width, height, kMaxImagePixels));
  if (maxval < 1 || maxval > 65535)
    throw FileError(fmt::format("{}: corrupt PGM: maxval is {}, must be 1 to 65535", name, maxval));

  const std::size_t H = std::size_t(height), W = std::size_t(width), n = H * W;
  const float scale = 1.0f / float(maxval);
  auto value = [&](std::size_t k, long v) {
    if (v > maxval)
      throw FileError(fmt::format("{}: corrupt PGM: pixel {} has value {}, above maxval {}", name, k,
                                  v, maxval));
    return float(v) * scale;
  };
  Tensor2<float> img;
  if (binary) {
    // exactly one whitespace byte after maxval, then 1 or 2 bytes per pixel, all of them
    // there before the image is allocated
    if (tok.pos() >= bytes.size() || !std::isspace(static_cast<unsigned char>(bytes[tok.pos()])))
      throw FileError(fmt::format("{}: truncated PGM: no pixel data after the header", name));
    tok.advance(1);
    const std::size_t bpp = maxval < 256 ? 1 : 2;
    const std::size_t have = bytes.size() - tok.pos();
    if (have < n * bpp)
      throw FileError(fmt::format("{}: truncated PGM: {} x {} pixels need {} bytes of data, the file "
                                  "has {}",
                                  name, width, height, n * bpp, have));
    img = Tensor2<float>::from_shape({H, W});
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + tok.pos());
    for (std::size_t k = 0; k < n; ++k)
      img.data()[k] = value(k, bpp == 1 ? long(p[k]) : long(p[2 * k]) * 256 + long(p[2 * k + 1]));
  } else {
    // the values as they are read: memory grows with what the file holds, not what it claims
    std::vector<float> v;
    v.reserve(std::min(n, (bytes.size() - tok.pos()) / 2 + 1));  // a digit and a space each
    for (std::size_t k = 0; k < n; ++k) {
      const long x = tok.next("pixel value");
      if (x < 0)
        throw FileError(fmt::format("{}: truncated PGM: found {} of the {} x {} = {} pixel values",
                                    name, k, width, height, n));
      v.push_back(value(k, x));
    }
    img = Tensor2<float>::from_shape({H, W});
    std::copy(v.begin(), v.end(), img.data());
  }
  return img;
}

Tensor2<float> decode_png(const std::string& bytes, const std::string& name) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    throw FileError(fmt::format("{}: corrupt PNG: {}", name, image.message));
  image.format = PNG_FORMAT_GRAY;  // 8-bit gray; colour converted, alpha composited on black
  const std::size_t H = image.height, W = image.width;
  if (H * W > kMaxImagePixels) {
    png_image_free(&image);
    throw FileError(fmt::format("{}: the image is {} x {} pixels, more than the {} pixels a picture "
                                "may have (dl::kMaxImagePixels)",
                                name, W, H, kMaxImagePixels));
  }
  std::vector<unsigned char> buffer(PNG_IMAGE_SIZE(image), 0);  // black under transparency
  if (!png_image_finish_read(&image, nullptr, buffer.data(), 0, nullptr))
    throw FileError(fmt::format("{}: corrupt or truncated PNG: {}", name, image.message));
  Tensor2<float> img = Tensor2<float>::from_shape({H, W});
  for (std::size_t k = 0; k < H * W; ++k) img.data()[k] = float(buffer[k]) / 255.0f;
  return img;
}

Tensor2<float> read_gray_image(const std::filesystem::path& path) {
  const std::string bytes = read_file(path, kMaxImageFileBytes, "a picture (dl::kMaxImageFileBytes)");
  const std::string name = path.string();
  if (bytes.empty()) throw FileError(fmt::format("{}: the file is empty", name));
  if (bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) return decode_png(bytes, name);
  if (bytes.size() >= 2 && bytes[0] == 'P') {
    if (bytes[1] == '2' || bytes[1] == '5') return decode_pgm(bytes, name);
    if (bytes[1] >= '1' && bytes[1] <= '7')
      throw FileError(fmt::format("{}: a Netpbm P{} file is not a grayscale PGM; save it as PGM (P2 "
                                  "or P5) or PNG",
                                  name, bytes[1]));
  }
  throw FileError(fmt::format("{}: not a PGM (P2, P5) or PNG image", name));
}

Tensor2<float> read_gray_image(const std::filesystem::path& path, std::size_t height,
                               std::size_t width) {
  Tensor2<float> img = read_gray_image(path);
  if (img.shape(0) != height || img.shape(1) != width)
    throw FileError(fmt::format("{}: the image is {} x {} pixels (width x height), expected {} x {}",
                                path.string(), img.shape(1), img.shape(0), width, height));
  return img;
}

void write_pgm(const std::filesystem::path& path, const Tensor2<float>& image, int maxval) {
  if (maxval < 1 || maxval > 65535)
    throw ValueError(fmt::format("write_pgm {}: maxval must be 1 to 65535, got {}", path.string(), maxval));
  const std::size_t H = image.shape(0), W = image.shape(1);
  std::string bytes = fmt::format("P5\n{} {}\n{}\n", W, H, maxval);
  for (std::size_t k = 0; k < H * W; ++k) {
    const float v = std::clamp(image.data()[k], 0.0f, 1.0f);
    const long q = std::lround(double(v) * maxval);
    if (maxval > 255) bytes += char((q >> 8) & 0xff);
    bytes += char(q & 0xff);
  }
  write_file_atomic(path, bytes);
}

}  // namespace dl
