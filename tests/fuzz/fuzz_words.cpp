// Word lists (datasets/words.hpp): the fuzzer's bytes as one of the five lists (french, a
// symlink to the in-memory file; the four others one word each) through load_word_languages
// and encode_words; and from_utf8, whose accepted input must come back byte for byte from
// to_utf8 (strict UTF-8: one encoding per code point).
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "datasets/words.hpp"
#include "fuzz_input.hpp"

namespace fs = std::filesystem;

namespace {

fs::path dict_dir() {
  static const fs::path d = fs::temp_directory_path() / ("dlbook-fuzz-words." + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  const char* files[] = {"american-english", "ngerman", "spanish", "italian"};
  const char* words[] = {"apple\n", "apfel\n", "manzana\n", "mela\n"};
  for (int k = 0; k < 4; ++k) std::ofstream(d / files[k]) << words[k];
  fs::create_symlink(fuzz::mem_file().write(""), d / "french");
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(d, ec);
  });
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  static const fs::path dir = dict_dir();
  fuzz::mem_file().write(bytes);
  fuzz::expect_only_dl_errors([&] {
    if (datasets::to_utf8(datasets::from_utf8(bytes)) != bytes) {
      std::fprintf(stderr, "finding: from_utf8 accepted bytes that to_utf8 does not give back\n");
      std::abort();
    }
  });
  fuzz::expect_only_dl_errors([&] {
    const datasets::WordLanguages d = datasets::load_word_languages(dir, 0, 50);
    datasets::encode_words<float>(d.train, d.vocab, 20);
    datasets::encode_words<float>(d.test, d.vocab, 20);
  });
  return 0;
}
