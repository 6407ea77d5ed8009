#include "datasets/wordnet.hpp"

#include <algorithm>
#include <fstream>
#include <locale>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "datasets/words.hpp"
#include "dlcore/core/error.hpp"

namespace datasets {

namespace fs = std::filesystem;

std::vector<std::string> tokenize_letters(const std::string& text, bool latin1) {
  static const std::locale utf8("C.UTF-8");
  const auto& ct = std::use_facet<std::ctype<wchar_t>>(utf8);
  std::u32string cps;
  if (latin1) {
    for (unsigned char c : text) cps.push_back(char32_t(c));  // Latin-1 byte = code point
  } else {
    cps = from_utf8(text);
  }
  std::vector<std::string> tokens;
  std::u32string cur;
  auto flush = [&] {
    if (!cur.empty()) tokens.push_back(to_utf8(cur));
    cur.clear();
  };
  for (char32_t c : cps) {
    if (ct.is(std::ctype_base::alpha, wchar_t(c))) cur.push_back(char32_t(ct.tolower(wchar_t(c))));
    else flush();
  }
  flush();
  return tokens;
}

std::vector<std::vector<std::string>> load_wordnet_glosses(const fs::path& dir) {
  std::vector<std::vector<std::string>> sentences;
  for (const char* part : {"noun", "verb", "adj", "adv"}) {
    const fs::path file = dir / (std::string("data.") + part);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw dl::FileError(fmt::format("{}: cannot read the WordNet data file (Debian package wordnet-base?)", file.string()));
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
      if (line.size() < 2 || line[0] == ' ') continue;  // the license header
      const std::size_t bar = line.find(" | ");
      if (bar == std::string::npos)
        throw dl::FileError(fmt::format("{}:{}: a synset line without its gloss (' | ')", file.string(), n));
      std::istringstream fields(line.substr(0, bar));
      std::string offset, lex, type, wcnt_hex;
      fields >> offset >> lex >> type >> wcnt_hex;
      std::size_t wcnt = 0;
      try {
        wcnt = std::stoul(wcnt_hex, nullptr, 16);
      } catch (const std::exception&) {
        throw dl::FileError(fmt::format("{}:{}: word count '{}' is not hexadecimal", file.string(), n, wcnt_hex));
      }
      std::string lemmas;
      for (std::size_t k = 0; k < wcnt; ++k) {  // word lex_id pairs
        std::string word, lex_id;
        if (!(fields >> word >> lex_id)) throw dl::FileError(fmt::format("{}:{}: fewer words than its count", file.string(), n));
        if (const auto paren = word.find('('); paren != std::string::npos) word.erase(paren);  // able(a)
        std::replace(word.begin(), word.end(), '_', ' ');
        lemmas += word + ' ';
      }
      std::vector<std::string> tokens = tokenize_letters(lemmas, true);
      const std::vector<std::string> gloss = tokenize_letters(line.substr(bar + 3), true);
      tokens.insert(tokens.end(), gloss.begin(), gloss.end());
      sentences.push_back(std::move(tokens));
    }
  }
  return sentences;
}

std::int32_t WordVocab::id(const std::string& w) const {
  const auto it = ids.find(w);
  return it == ids.end() ? -1 : it->second;
}

WordVocab WordVocab::build(const std::vector<std::vector<std::string>>& sentences, std::uint64_t min_count) {
  std::map<std::string, std::uint64_t> count;
  for (const auto& s : sentences)
    for (const auto& w : s) ++count[w];
  std::vector<std::pair<std::string, std::uint64_t>> kept;
  for (const auto& [w, c] : count)
    if (c >= min_count) kept.emplace_back(w, c);
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  WordVocab v;
  for (const auto& [w, c] : kept) {
    v.ids[w] = std::int32_t(v.words.size());
    v.words.push_back(w);
    v.counts.push_back(c);
  }
  return v;
}

std::vector<std::vector<std::int32_t>> encode_sentences(const std::vector<std::vector<std::string>>& sentences,
                                                        const WordVocab& vocab) {
  std::vector<std::vector<std::int32_t>> out;
  for (const auto& s : sentences) {
    std::vector<std::int32_t> ids;
    for (const auto& w : s)
      if (const std::int32_t i = vocab.id(w); i >= 0) ids.push_back(i);
    if (!ids.empty()) out.push_back(std::move(ids));
  }
  return out;
}

}  // namespace datasets
