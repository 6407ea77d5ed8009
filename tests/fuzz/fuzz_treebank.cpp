// Treebanks in the SST s-expression format (datasets/treebank.hpp): the fuzzer's bytes as a
// treebank file through read_treebank (by path, the in-memory file) and parse_treebank. A
// dl::Error is the only allowed failure; a tree the reader accepts must be well formed
// (check_tree, leaf_spans), must come back unchanged through to_sexpr and the reader, and
// must go through binarize, the vocabulary and, when binary, the grammar's labelling.
#include <cstdio>
#include <cstdlib>

#include "datasets/sentiment_treebank.hpp"
#include "datasets/treebank.hpp"
#include "fuzz_input.hpp"

namespace {

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "finding: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string& path = fuzz::mem_file().write(bytes);
  std::vector<dl::Tree> trees;
  bool accepted = false;
  fuzz::expect_only_dl_errors([&] {
    trees = datasets::read_treebank(path);
    accepted = true;
  });
  bool accepted_text = false;
  fuzz::expect_only_dl_errors([&] {
    const auto again = datasets::parse_treebank(bytes, "fuzz");
    accepted_text = true;
    if (again.size() != trees.size()) finding("read_treebank and parse_treebank disagree");
  });
  if (accepted != accepted_text) finding("read_treebank and parse_treebank disagree on accepting");
  if (!accepted) return 0;
  try {
    for (const dl::Tree& t : trees) {
      dl::check_tree(t, "fuzz");  // the reader's trees are well formed: any error is a finding
      datasets::leaf_spans(t);
      const std::string s = datasets::to_sexpr(t);
      if (datasets::to_sexpr(datasets::parse_tree(s)) != s) finding("to_sexpr does not read back to itself");
      const dl::Tree b = datasets::binarize(t);
      dl::check_tree(b, "binarized");
      if (!datasets::is_binary(b)) finding("binarize left a node that is not binary");
      if (datasets::leaf_words(b) != datasets::leaf_words(t)) finding("binarize changed the words");
      datasets::leaf_spans(b);
      datasets::sentiment_rules::grammar_labels(b);
    }
    auto copy = trees;
    datasets::TreeVocab::from_trees(copy, 1).assign(copy);
    for (const auto& t : copy) dl::check_tree(t, "with tokens", true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "finding: an accepted treebank failed later: %s\n", e.what());
    std::abort();
  }
  return 0;
}
