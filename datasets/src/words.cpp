#include "datasets/words.hpp"

#include <algorithm>
#include <locale>
#include <set>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/limits.hpp"

namespace datasets {

namespace fs = std::filesystem;

const std::vector<std::string>& word_languages() {
  static const std::vector<std::string> names = {"english", "french", "german", "spanish", "italian"};
  return names;
}

std::u32string from_utf8(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + std::size_t(extra) >= s.size())  // a bad lead byte, or cut short
      throw dl::ValueError(fmt::format("not UTF-8: byte 0x{:02x} at offset {}", c, i));
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + std::size_t(k)]);
      if ((cc >> 6) != 0x2) throw dl::ValueError(fmt::format("not UTF-8: byte 0x{:02x} at offset {}", cc, i + std::size_t(k)));
      cp = (cp << 6) | (cc & 0x3F);
    }
    // RFC 3629: the shortest form only (C0 AF is not '/'), no surrogates, nothing past U+10FFFF
    static constexpr char32_t shortest[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < shortest[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      throw dl::ValueError(fmt::format("not UTF-8: {} bytes at offset {} encode {:#x}, {}", extra + 1, i,
                                       std::uint32_t(cp),
                                       cp < shortest[extra] ? "in more bytes than it needs (overlong)"
                                                            : "not a Unicode scalar value"));
    out.push_back(cp);
    i += std::size_t(extra) + 1;
  }
  return out;
}

std::string to_utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += char(c);
    } else if (c < 0x800) {
      out += char(0xC0 | (c >> 6));
      out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += char(0xE0 | (c >> 12));
      out += char(0x80 | ((c >> 6) & 0x3F));
      out += char(0x80 | (c & 0x3F));
    } else {
      out += char(0xF0 | (c >> 18));
      out += char(0x80 | ((c >> 12) & 0x3F));
      out += char(0x80 | ((c >> 6) & 0x3F));
      out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::int32_t CharVocab::id(char32_t c) const {
  const auto it = ids.find(c);
  return it == ids.end() ? unknown : it->second;
}

std::string CharVocab::label(std::int32_t i) const {
  if (i == pad) return "<pad>";
  if (i == unknown || i < 0 || std::size_t(i) >= size()) return "<unk>";
  return to_utf8(std::u32string(1, chars[std::size_t(i) - 2]));
}

CharVocab CharVocab::from_words(const std::vector<std::u32string>& words) {
  std::set<char32_t> seen;
  for (const auto& w : words) seen.insert(w.begin(), w.end());
  CharVocab v;
  v.chars.assign(seen.begin(), seen.end());
  for (std::size_t k = 0; k < v.chars.size(); ++k) v.ids[v.chars[k]] = std::int32_t(k + 2);
  return v;
}

namespace {

// The words of one list after steps 1-2 of the recipe, sorted and unique. The file is read
// whole (dl::read_file: a directory, a device or a file beyond dl::kMaxWordListBytes is a
// FileError naming it); a line longer than dl::kMaxWordLineBytes, one that is not UTF-8, and
// a list without a single word kept are FileErrors naming the file (and the line).
std::vector<std::u32string> read_list(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw dl::FileError(fmt::format("{}: cannot read the word list (Debian package w{}?)", file.string(),
                                    file.filename().string()));
  const std::string text = dl::read_file(file, dl::kMaxWordListBytes, "a word list (dl::kMaxWordListBytes)");
  static const std::locale utf8("C.UTF-8");
  const auto& ct = std::use_facet<std::ctype<wchar_t>>(utf8);
  std::set<std::u32string> words;
  std::size_t n = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::size_t len = end - at;
    ++n;
    if (len > dl::kMaxWordLineBytes)
      throw dl::FileError(fmt::format("{}:{}: a line of {} bytes, longer than {}, the limit for a word "
                                      "list's line (dl::kMaxWordLineBytes)",
                                      file.string(), n, len, dl::bytes_str(dl::kMaxWordLineBytes)));
    std::u32string w;
    try {
      w = from_utf8(text.substr(at, len));
    } catch (const dl::ValueError& e) {
      throw dl::FileError(fmt::format("{}:{}: {}", file.string(), n, e.what()));
    }
    at = end + 1;
    if (w.size() < 3 || w.size() > 20) continue;
    bool letters = true;
    for (auto& c : w) {
      letters = letters && ct.is(std::ctype_base::alpha, wchar_t(c));
      c = char32_t(ct.tolower(wchar_t(c)));
    }
    if (letters) words.insert(w);
  }
  if (words.empty())
    throw dl::FileError(fmt::format("{}: no word of 3-20 letters in the word list ({} lines)", file.string(), n));
  return {words.begin(), words.end()};
}

}  // namespace

WordLanguages load_word_languages(const fs::path& dict_dir, std::uint64_t seed, std::size_t per_language) {
  const std::vector<std::string> files = {"american-english", "french", "ngerman", "spanish", "italian"};
  std::vector<std::vector<std::u32string>> lists;
  std::map<std::u32string, int> count;
  for (const auto& f : files) {
    lists.push_back(read_list(dict_dir / f));
    for (const auto& w : lists.back()) ++count[w];
  }
  dl::Rng rng(seed);
  WordSet all;
  for (std::size_t lang = 0; lang < lists.size(); ++lang) {
    std::vector<std::u32string> unique;  // sorted: read_list returns them in order
    for (const auto& w : lists[lang])
      if (count[w] == 1) unique.push_back(w);
    const auto order = rng.permutation(unique.size());
    for (std::size_t k = 0; k < std::min(per_language, unique.size()); ++k) {
      all.words.push_back(unique[order[k]]);
      all.labels.push_back(std::int32_t(lang));
    }
  }
  const auto order = rng.permutation(all.size());
  const std::size_t n = all.size(), n_train = n * 8 / 10, n_val = n / 10;
  WordLanguages d;
  for (std::size_t k = 0; k < n; ++k) {
    WordSet& to = k < n_train ? d.train : k < n_train + n_val ? d.val : d.test;
    to.words.push_back(all.words[order[k]]);
    to.labels.push_back(all.labels[order[k]]);
  }
  d.vocab = CharVocab::from_words(d.train.words);
  return d;
}

template <class T>
dl::Dataset<dl::Tensor2<T>> encode_words(const WordSet& set, const CharVocab& vocab, std::size_t max_len) {
  dl::Dataset<dl::Tensor2<T>> d;
  d.X = xt::zeros<T>({set.size(), max_len});
  d.y = dl::Labels::from_shape({set.size()});
  for (std::size_t n = 0; n < set.size(); ++n) {
    const std::size_t len = std::min(max_len, set.words[n].size());
    for (std::size_t t = 0; t < len; ++t) d.X(n, t) = T(vocab.id(set.words[n][t]));
    d.lengths.push_back(std::max<std::size_t>(len, 1));
    d.y(n) = set.labels[n];
  }
  return d;
}

template dl::Dataset<dl::Tensor2<float>> encode_words<float>(const WordSet&, const CharVocab&, std::size_t);
template dl::Dataset<dl::Tensor2<double>> encode_words<double>(const WordSet&, const CharVocab&, std::size_t);

}  // namespace datasets
