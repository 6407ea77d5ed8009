#include "dlcore/io/cli.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "dlcore/core/error.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/interrupt.hpp"
#include "dlcore/core/memory.hpp"
#include "dlcore/io/progress.hpp"

namespace dl {

ChapterCli::ChapterCli(std::string name, std::string description)
    : app_(std::move(description), name) {
  opt_.name = name;
  opt_.out = std::filesystem::path("out") / name;
  app_.add_option("--out", opt_.out, "Directory for metrics.json, CSV files and SVG plots")
      ->default_str(opt_.out.string());
  app_.add_option("--seed", opt_.seed, "Random seed (the same seed gives the same numbers)")
      ->default_val(opt_.seed);
  app_.add_flag("--quick", opt_.quick, "Small, fast settings (what the tests run)");
  app_.add_option("--threads", opt_.threads, "Number of BLAS threads")
      ->default_val(opt_.threads)
      ->check(CLI::Range(1, 256));
  app_.add_flag("!--no-progress", opt_.progress, "Do not draw progress bars");
}

ChapterCli& ChapterCli::epochs(int full, int quick) {
  full_epochs_ = full, quick_epochs_ = quick, has_epochs_ = true;
  epochs_opt_ = app_.add_option("--epochs", opt_.epochs,
                                "Training epochs (default " + std::to_string(full) +
                                    ", with --quick " + std::to_string(quick) + ")")
                    ->check(CLI::Range(1, 100000));
  return *this;
}

ChapterCli& ChapterCli::data(std::string default_dir) {
  opt_.data = default_dir;
  app_.add_option("--data", opt_.data,
                  "Dataset directory (Fashion-MNIST or MNIST IDX files, gzip'd or not)")
      ->default_str(default_dir);
  return *this;
}

ChapterCli& ChapterCli::checkpoints() {
  app_.add_flag("--resume", opt_.resume,
                "Continue from the checkpoints in OUT/checkpoints/ (written at the end of every "
                "epoch, every --checkpoint-every steps, and on Ctrl-C or SIGTERM); the result is "
                "the same as a run that never stopped");
  app_.add_option("--checkpoint-every", opt_.checkpoint_every,
                  "Also write a checkpoint every N training steps (0: only at epoch ends)")
      ->default_val(opt_.checkpoint_every)
      ->check(CLI::Range(std::size_t(0), std::size_t(1) << 40));
  return *this;
}

namespace {
// CLI11 reads whole numbers with strtoull/strtoll in base 0: "-1" wraps to 2^64 - 1 in an
// unsigned option, a number too large saturates, "010" is octal. Every integer option of a
// chapter program takes plain decimal digits instead, within its type's range.
std::string decimal_check(const std::string& text, bool is_signed) {
  const bool negative = is_signed && !text.empty() && text[0] == '-';
  const std::string digits = text.substr(negative ? 1 : 0);
  const bool decimal = !digits.empty() && digits.size() <= 20 &&
                       std::all_of(digits.begin(), digits.end(),
                                   [](unsigned char c) { return c >= '0' && c <= '9'; }) &&
                       (digits.size() == 1 || digits[0] != '0');
  const std::string range = is_signed ? "a whole number" : "a whole number from 0 up";
  if (!decimal || (digits.size() == 20 && digits > "18446744073709551615"))
    return text + " is not " + range + " (decimal digits" + (is_signed ? ", with - if negative" : "") + ")";
  return std::string();
}
}  // namespace

int ChapterCli::run(int argc, char** argv,
                    const std::function<void(const ChapterOptions&)>& body) {
  for (CLI::Option* o : app_.get_options()) {
    const std::string type = o->get_type_name();
    if (type == "UINT" || type == "INT")
      o->check(CLI::Validator([is_signed = type == "INT"](std::string& s) { return decimal_check(s, is_signed); },
                              "", "decimal"));
  }
  try {
    app_.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app_.exit(e);  // prints the help, or the error and a usage hint
    return rc == 0 ? 0 : 2;       // --help is success; any bad command line is status 2
  }
  if (has_epochs_ && epochs_opt_->count() == 0) opt_.epochs = opt_.quick ? quick_epochs_ : full_epochs_;
  try {
    set_num_threads(opt_.threads);
    keep_freed_memory();
    Progress::set_quiet(!opt_.progress);
    std::filesystem::create_directories(opt_.out);
    body(opt_);
    return 0;
  } catch (const Interrupted& e) {
    std::fprintf(stderr, "%s: %s\n%s: to continue, run the same command again with --resume\n",
                 opt_.name.c_str(), e.what(), opt_.name.c_str());
    return 128 + e.signal;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: error: %s\n", opt_.name.c_str(), e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "%s: error: %s\n", opt_.name.c_str(), e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: unexpected error: %s\n", opt_.name.c_str(), e.what());
  }
  return 1;
}

}  // namespace dl
