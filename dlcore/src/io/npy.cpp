#include "dlcore/io/npy.hpp"

#include <cctype>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include <fmt/format.h>

#include "dlcore/io/limits.hpp"

namespace dl {

std::size_t NpyArray::size() const {
  const std::optional<std::size_t> n = checked_product(shape);
  if (!n) throw FileError("NpyArray: shape " + shape_str(shape) + " has too many elements to count");
  return *n;
}

namespace {

std::size_t item_size(const std::string& descr) {
  if (descr == "<f4" || descr == "<i4") return 4;
  if (descr == "<f8" || descr == "<i8") return 8;
  if (descr == "|u1" || descr == "<u1" || descr == "|b1") return 1;
  return 0;
}

// The value of 'key': ... in the header dict, as text up to the next top-level comma/brace.
std::string dict_value(const std::string& header, const std::string& key,
                       const std::string& where) {
  const auto k = header.find("'" + key + "'");
  if (k == std::string::npos) throw FileError(where + ": .npy header has no '" + key + "'");
  auto p = header.find(':', k);
  if (p == std::string::npos) throw FileError(where + ": .npy header is malformed");
  ++p;
  while (p < header.size() && header[p] == ' ') ++p;
  std::size_t e = p;
  int depth = 0;
  while (e < header.size()) {
    const char c = header[e];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
    if (depth < 0) break;
    ++e;
  }
  if (e < header.size() && header[e] == ')') ++e;
  while (e > p && header[e - 1] == ' ') --e;  // "(3, 4) ," as well as "(3, 4),"
  return header.substr(p, e - p);
}

// Up to 40 characters of header text, for error messages.
std::string excerpt(const std::string& s) {
  std::string out;
  for (const char c : s.substr(0, 40))
    out += std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c)
                                                       : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  return s.size() > 40 ? out + "..." : out;
}

// The shape tuple of the header, "(3, 4)", "(5,)" or "()": non-negative integers, each
// parsed with an overflow check, at most kMaxNpyDims of them.
std::vector<std::size_t> parse_shape(const std::string& text, const std::string& where) {
  auto bad = [&](const std::string& why) {
    return FileError(fmt::format("{}: .npy field 'shape' {} {}", where, excerpt(text), why));
  };
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') throw bad("is not a tuple");
  std::vector<std::size_t> shape;
  const std::size_t end = text.size() - 1;
  std::size_t i = 1;
  auto skip_spaces = [&] {
    while (i < end && text[i] == ' ') ++i;
  };
  skip_spaces();
  while (i < end) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      throw bad("holds something other than non-negative integers");
    std::size_t v = 0;
    for (; i < end && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
      if (__builtin_mul_overflow(v, std::size_t(10), &v) ||
          __builtin_add_overflow(v, std::size_t(text[i] - '0'), &v))
        throw bad(fmt::format("has a dimension {} with more digits than fit in 64 bits",
                              shape.size()));
    shape.push_back(v);
    if (shape.size() > kMaxNpyDims)
      throw bad(fmt::format("has more than {} dimensions (the limit, as in NumPy)", kMaxNpyDims));
    skip_spaces();
    if (i < end && text[i] != ',') throw bad("is not a tuple of integers separated by commas");
    if (i < end) ++i;
    skip_spaces();
  }
  return shape;
}

}  // namespace

std::string npy_encode(const std::string& descr, const std::vector<std::size_t>& shape,
                       const void* data, std::size_t nbytes) {
  std::string dims;
  for (std::size_t i = 0; i < shape.size(); ++i) dims += fmt::format("{}{}", i ? ", " : "", shape[i]);
  if (shape.size() == 1) dims += ",";
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}",
                                   descr, dims);
  // magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64
  const std::size_t unpadded = 10 + header.size() + 1;
  header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char((header.size() >> 8) & 0xff);
  out += header;
  out.append(static_cast<const char*>(data), nbytes);
  return out;
}

NpyArray npy_decode(const std::string& bytes, const std::string& where) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    throw FileError(where + ": not a .npy file (bad magic number)");
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t hlen = 0, hstart = 0;
  if (major == 1) {
    hlen = std::size_t(static_cast<unsigned char>(bytes[8])) |
           std::size_t(static_cast<unsigned char>(bytes[9])) << 8;
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw FileError(where + ": truncated .npy header");
    for (int i = 0; i < 4; ++i)
      hlen |= std::size_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    hstart = 12;
  } else {
    throw FileError(fmt::format("{}: unsupported .npy version {}", where, major));
  }
  if (bytes.size() < hstart + hlen) throw FileError(where + ": truncated .npy header");
  const std::string header = bytes.substr(hstart, hlen);

  NpyArray a;
  const std::string descr = dict_value(header, "descr", where);
  if (descr.size() < 2 || (descr.front() != '\'' && descr.front() != '"') ||
      descr.back() != descr.front())
    throw FileError(fmt::format("{}: .npy field 'descr' {} is not a quoted type", where,
                                excerpt(descr)));
  a.descr = descr.substr(1, descr.size() - 2);
  if (item_size(a.descr) == 0)
    throw FileError(fmt::format("{}: unsupported element type '{}'", where, excerpt(a.descr)));
  if (dict_value(header, "fortran_order", where) != "False")
    throw FileError(where + ": Fortran-ordered arrays are not supported");
  a.shape = parse_shape(dict_value(header, "shape", where), where);
  // the element count, and the bytes it takes, checked before anything is allocated
  const std::optional<std::size_t> count = checked_product(a.shape);
  const std::size_t item = item_size(a.descr);
  if (!count || *count > std::numeric_limits<std::size_t>::max() / item)
    throw FileError(fmt::format("{}: .npy field 'shape' {} claims more elements than a 64-bit size "
                                "can count",
                                where, shape_str(a.shape)));
  const std::size_t need = *count * item;
  const std::size_t have = bytes.size() - hstart - hlen;
  if (have < need)
    throw FileError(fmt::format("{}: truncated: shape {} needs {} bytes of data, found {}", where,
                                shape_str(a.shape), need, have));
  if (have > need)
    throw FileError(fmt::format("{}: {} unexpected bytes after the data of shape {}", where,
                                have - need, shape_str(a.shape)));
  a.data = bytes.substr(hstart + hlen);
  return a;
}

namespace {
// Whether the value v of a file fits T: a float NaN or out of range, or an integer too
// large, would be undefined behaviour or a silent wrap when converted to an integer type.
template <class T, class S>
bool fits(S v) {
  if constexpr (!std::is_integral_v<T>) {
    return true;  // any number converts to float or double (out of range: +-inf)
  } else if constexpr (std::is_floating_point_v<S>) {
    constexpr S hi = S(std::numeric_limits<T>::max() / 2 + 1) * S(2);  // 2^bits, exact
    return (std::is_signed_v<T> ? v >= S(std::numeric_limits<T>::min()) : v > S(-1)) && v < hi;
  } else if constexpr (std::is_signed_v<S>) {
    const std::int64_t w = v;
    if constexpr (std::is_signed_v<T>)
      return w >= std::int64_t(std::numeric_limits<T>::min()) &&
             w <= std::int64_t(std::numeric_limits<T>::max());
    else
      return w >= 0 && std::uint64_t(w) <= std::uint64_t(std::numeric_limits<T>::max());
  } else {
    return std::uint64_t(v) <= std::uint64_t(std::numeric_limits<T>::max());
  }
}
}  // namespace

template <class T>
std::vector<T> npy_values(const NpyArray& a, const std::string& where) {
  const std::size_t item = item_size(a.descr);
  if (item == 0 || a.data.size() % item != 0 || a.data.size() / item != a.size())
    throw FileError(fmt::format("{}: {} bytes of data for shape {} of '{}'", where, a.data.size(),
                                shape_str(a.shape), a.descr));
  std::vector<T> out(a.size());
  auto convert = [&](auto tag) {
    using S = decltype(tag);
    for (std::size_t i = 0; i < out.size(); ++i) {
      S v;
      std::memcpy(&v, a.data.data() + i * sizeof(S), sizeof(S));
      if (!fits<T>(v))
        throw FileError(fmt::format("{}: value {} at index {} does not fit the {} it is read into",
                                    where, v, i, npy_descr<T>()));
      out[i] = T(v);
    }
  };
  if (a.descr == "<f4") convert(float{});
  else if (a.descr == "<f8") convert(double{});
  else if (a.descr == "<i4") convert(std::int32_t{});
  else if (a.descr == "<i8") convert(std::int64_t{});
  else if (a.descr == "|u1" || a.descr == "<u1" || a.descr == "|b1") convert(std::uint8_t{});
  else throw FileError(where + ": unsupported element type '" + a.descr + "'");
  return out;
}

template std::vector<float> npy_values<float>(const NpyArray&, const std::string&);
template std::vector<double> npy_values<double>(const NpyArray&, const std::string&);
template std::vector<std::int32_t> npy_values<std::int32_t>(const NpyArray&, const std::string&);
template std::vector<std::int64_t> npy_values<std::int64_t>(const NpyArray&, const std::string&);
template std::vector<std::uint8_t> npy_values<std::uint8_t>(const NpyArray&, const std::string&);

}  // namespace dl
