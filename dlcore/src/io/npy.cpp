#include "dlcore/io/npy.hpp"

#include <cctype>
#include <cstring>

#include <fmt/format.h>

namespace dl {

std::size_t NpyArray::size() const {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  return n;
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
  return header.substr(p, e - p);
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
  std::string descr = dict_value(header, "descr", where);
  if (descr.size() < 2) throw FileError(where + ": .npy header has an empty descr");
  a.descr = descr.substr(1, descr.size() - 2);
  if (item_size(a.descr) == 0)
    throw FileError(where + ": unsupported element type '" + a.descr + "'");
  if (dict_value(header, "fortran_order", where) != "False")
    throw FileError(where + ": Fortran-ordered arrays are not supported");
  const std::string shape = dict_value(header, "shape", where);
  std::size_t i = 0;
  while (i < shape.size()) {
    if (std::isdigit(static_cast<unsigned char>(shape[i]))) {
      std::size_t j = i;
      while (j < shape.size() && std::isdigit(static_cast<unsigned char>(shape[j]))) ++j;
      a.shape.push_back(std::stoull(shape.substr(i, j - i)));
      i = j;
    } else {
      ++i;
    }
  }
  const std::size_t need = a.size() * item_size(a.descr);
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

template <class T>
std::vector<T> npy_values(const NpyArray& a, const std::string& where) {
  std::vector<T> out(a.size());
  auto convert = [&](auto tag) {
    using S = decltype(tag);
    for (std::size_t i = 0; i < out.size(); ++i) {
      S v;
      std::memcpy(&v, a.data.data() + i * sizeof(S), sizeof(S));
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
