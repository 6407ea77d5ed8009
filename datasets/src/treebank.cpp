#include "datasets/treebank.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/files.hpp"

namespace datasets {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_word_char(char c) { return !is_space(c) && c != '(' && c != ')' && c != '\n'; }

// A byte as it should appear in a message: printable as is, anything else as \xNN.
std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  return fmt::format("\\x{:02x}", unsigned(u));
}
std::string shown(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(s.size(), 40); ++i) out += shown(s[i]);
  if (s.size() > 40) out += "...";
  return out;
}

// The parser: one line, iteratively, with an explicit stack of the nodes still open.
class LineParser {
 public:
  LineParser(const std::string& line, const std::string& name, std::size_t line_number)
      : s_(line), name_(name), line_(line_number) {}

  [[noreturn]] void fail(std::size_t pos, const std::string& what) const {
    throw dl::FileError(fmt::format("{}:{}:{}: {}", name_, line_, pos + 1, what));
  }

  dl::Tree parse() {
    if (s_.size() > kMaxTreeLineBytes)
      fail(kMaxTreeLineBytes, fmt::format("the line is longer than {} bytes", kMaxTreeLineBytes));
    skip_space();
    if (pos_ == s_.size()) fail(pos_, "expected a tree '(LABEL ...)', found an empty line");
    if (s_[pos_] != '(') fail(pos_, fmt::format("expected '(' to open a tree, found '{}'", shown(s_[pos_])));
    open();
    while (!stack_.empty()) {
      skip_space();
      if (pos_ == s_.size())
        fail(pos_, fmt::format("unbalanced parentheses: {} node{} still open at the end of the line "
                               "(the innermost opened at column {})",
                               stack_.size(), stack_.size() == 1 ? "" : "s", stack_.back().open + 1));
      const char c = s_[pos_];
      if (c == ')') close();
      else if (c == '(') open();
      else word();
    }
    skip_space();
    if (pos_ < s_.size()) {
      if (s_[pos_] == ')') fail(pos_, "unbalanced parentheses: this ')' closes no node");
      fail(pos_, fmt::format("trailing text '{}' after the tree", shown(s_.substr(pos_))));
    }
    return std::move(tree_);
  }

 private:
  struct Open {
    std::size_t open = 0;  // column of '('
    int label = -1;
    std::vector<std::size_t> children;
    std::string word;
    bool has_word = false;
  };

  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }

  // '(' then the label.
  void open() {
    if (!stack_.empty() && stack_.back().has_word)
      fail(pos_, fmt::format("a subtree after the word '{}': a node holds one word or only subtrees",
                             shown(stack_.back().word)));
    if (stack_.size() >= kMaxTreeDepth)
      fail(pos_, fmt::format("the tree nests deeper than {} levels", kMaxTreeDepth));
    Open o;
    o.open = pos_++;
    skip_space();
    const std::size_t at = pos_;
    while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
    const std::string label = s_.substr(at, pos_ - at);
    if (label.empty()) {
      if (at < s_.size() && s_[at] == ')') fail(o.open, "empty node '()': a node needs a label and a word or subtrees");
      if (at < s_.size() && s_[at] == '(') fail(at, "expected a label 0..4 after '(', found '('");
      fail(at, "expected a label 0..4 after '(', found the end of the line");
    }
    if (label.size() != 1 || label[0] < '0' || label[0] > '4')
      fail(at, fmt::format("label '{}' is not an integer in 0..4", shown(label)));
    o.label = label[0] - '0';
    stack_.push_back(std::move(o));
  }

  void word() {
    Open& o = stack_.back();
    const std::size_t at = pos_;
    while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
    const std::string w = s_.substr(at, pos_ - at);
    if (!o.children.empty() || o.has_word)
      fail(at, fmt::format("a word ('{}') where a subtree '(LABEL ...)' is expected: a node holds one word "
                           "or only subtrees", shown(w)));
    o.word = w;
    o.has_word = true;
  }

  void close() {
    Open& o = stack_.back();
    if (!o.has_word && o.children.empty())
      fail(o.open, fmt::format("empty node '({})': a label but no word or subtree", o.label));
    if (tree_.nodes.size() >= kMaxTreeNodes)
      fail(pos_, fmt::format("the tree has more than {} nodes", kMaxTreeNodes));
    dl::Tree::Node n;
    n.label = o.label;
    n.children = std::move(o.children);
    n.word = std::move(o.word);
    tree_.nodes.push_back(std::move(n));  // closed after all its children: post-order
    stack_.pop_back();
    if (!stack_.empty()) stack_.back().children.push_back(tree_.nodes.size() - 1);
    ++pos_;
  }

  const std::string& s_;
  const std::string& name_;
  std::size_t line_;
  std::size_t pos_ = 0;
  std::vector<Open> stack_;
  dl::Tree tree_;
};

bool blank(const std::string& line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return is_space(c); });
}

}  // namespace

dl::Tree parse_tree(const std::string& line, const std::string& name, std::size_t line_number) {
  return LineParser(line, name, line_number).parse();
}

std::vector<dl::Tree> parse_treebank(const std::string& text, const std::string& name) {
  std::vector<dl::Tree> trees;
  std::size_t start = 0, line_number = 1;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (!blank(line)) trees.push_back(parse_tree(line, name, line_number));
    start = end + 1;
    ++line_number;
  }
  return trees;
}

std::vector<dl::Tree> parse_treebank(std::istream& in, const std::string& name) {
  std::vector<dl::Tree> trees;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number)
    if (!blank(line)) trees.push_back(parse_tree(line, name, line_number));
  return trees;
}

std::vector<dl::Tree> read_treebank(const std::filesystem::path& path) {
  const std::string text = dl::read_file(path, kMaxTreebankBytes, "a treebank");
  return parse_treebank(text, path.string());
}

std::string to_sexpr(const dl::Tree& tree) {
  dl::check_tree(tree, "to_sexpr");
  std::vector<std::string> s(tree.size());
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const dl::Tree::Node& n = tree.nodes[i];
    if (n.label < 0 || n.label > 4)
      throw dl::ValueError(fmt::format("to_sexpr: node {} has label {}; the format needs 0..4", i, n.label));
    std::string& out = s[i];
    out = fmt::format("({}", n.label);
    if (n.children.empty()) {
      if (n.word.empty()) throw dl::ValueError(fmt::format("to_sexpr: leaf {} has no word", i));
      if (!std::all_of(n.word.begin(), n.word.end(), is_word_char))
        throw dl::ValueError(fmt::format("to_sexpr: the word '{}' of leaf {} contains white space or a parenthesis",
                                         shown(n.word), i));
      out += ' ' + n.word;
    }
    for (std::size_t c : n.children) {
      out += ' ';
      out += s[c];
      std::string().swap(s[c]);  // each child is used once
    }
    out += ')';
  }
  return s.back();
}

void write_treebank(const std::filesystem::path& path, const std::vector<dl::Tree>& trees) {
  std::string text;
  for (const auto& t : trees) text += to_sexpr(t) + '\n';
  dl::write_file_atomic(path, text);
}

std::vector<std::string> leaf_words(const dl::Tree& tree) {
  std::vector<std::string> words;
  for (const auto& n : tree.nodes)
    if (n.children.empty()) words.push_back(n.word);
  return words;
}

std::string sentence(const dl::Tree& tree) {
  std::string s;
  for (const auto& w : leaf_words(tree)) s += (s.empty() ? "" : " ") + w;
  return s;
}

std::vector<Span> leaf_spans(const dl::Tree& tree, const std::string& where) {
  std::vector<Span> span(tree.size());
  std::size_t leaf = 0;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto& ch = tree.nodes[i].children;
    if (ch.empty()) {
      span[i] = {leaf, leaf + 1};
      ++leaf;
      continue;
    }
    for (std::size_t k = 0; k < ch.size(); ++k)
      if (ch[k] >= i || (k > 0 && span[ch[k - 1]].end != span[ch[k]].begin))
        throw dl::ValueError(fmt::format("{}: the children of node {} do not cover adjacent leaves left to right",
                                         where, i));
    span[i] = {span[ch.front()].begin, span[ch.back()].end};
  }
  return span;
}

std::size_t tree_depth(const dl::Tree& tree) {
  return tree.nodes.empty() ? 0 : dl::node_heights(tree).back();
}

const std::vector<std::string>& negation_words() {
  static const std::vector<std::string> words = {"not", "n't", "never", "no", "nothing",
                                                 "none", "nobody", "neither", "nor", "without"};
  return words;
}

std::size_t count_negations(const dl::Tree& tree) {
  const auto& neg = negation_words();
  std::size_t count = 0;
  for (const auto& n : tree.nodes) {
    if (!n.children.empty()) continue;
    std::string w = n.word;
    for (auto& c : w) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(neg.begin(), neg.end(), w) != neg.end()) ++count;
  }
  return count;
}

bool is_binary(const dl::Tree& tree) {
  return std::all_of(tree.nodes.begin(), tree.nodes.end(),
                     [](const dl::Tree::Node& n) { return n.children.empty() || n.children.size() == 2; });
}

dl::Tree binarize(const dl::Tree& tree) {
  dl::check_tree(tree, "binarize");
  if (is_binary(tree)) return tree;
  dl::Tree out;
  std::vector<std::size_t> at(tree.size());  // old index -> new index
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const dl::Tree::Node& n = tree.nodes[i];
    const auto& ch = n.children;
    if (ch.size() == 1) {  // merged with its child: the upper label wins
      at[i] = at[ch[0]];
      out.nodes[at[i]].label = n.label;
      continue;
    }
    if (ch.empty()) {
      out.nodes.push_back(n);
      at[i] = out.nodes.size() - 1;
      continue;
    }
    std::size_t right = at[ch.back()];
    for (std::size_t k = ch.size() - 1; k-- > 0;) {
      dl::Tree::Node m;
      m.children = {at[ch[k]], right};
      m.label = k == 0 ? n.label : -1;
      out.nodes.push_back(std::move(m));
      right = out.nodes.size() - 1;
    }
    at[i] = right;
  }
  return out;
}

int TreeVocab::id(const std::string& word) const {
  const auto it = ids.find(word);
  return it == ids.end() ? unknown : it->second;
}

TreeVocab TreeVocab::from_trees(const std::vector<dl::Tree>& trees, std::size_t min_count) {
  std::map<std::string, std::size_t> count;
  for (const auto& t : trees)
    for (const auto& n : t.nodes)
      if (n.children.empty()) ++count[n.word];
  std::vector<std::pair<std::string, std::size_t>> kept;
  for (const auto& [w, c] : count)
    if (c >= std::max<std::size_t>(min_count, 1)) kept.emplace_back(w, c);
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  TreeVocab v;
  v.words.push_back("<unk>");
  for (const auto& [w, c] : kept) {
    v.ids[w] = int(v.words.size());
    v.words.push_back(w);
  }
  return v;
}

void TreeVocab::assign(std::vector<dl::Tree>& trees) const {
  for (auto& t : trees)
    for (auto& n : t.nodes) n.token = n.children.empty() ? id(n.word) : -1;
}

}  // namespace datasets
