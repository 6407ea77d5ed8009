#pragma once
/// \file
/// The command line every chapter program shares (the chapter-program contract):
/// --help, --out DIR, --seed N, --quick, --threads N, and where they apply --epochs N,
/// --data DIR, and --resume / --checkpoint-every N. A chapter adds its own flags through app().

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace dl {

/// Where Debian's dataset-fashion-mnist package puts the IDX files.
inline const char* const kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// The parsed common flags.
struct ChapterOptions {
  std::string name;                ///< the chapter, e.g. "ch07_fashion_mlp"
  std::filesystem::path out;       ///< output directory (created)
  std::uint64_t seed = 42;         ///< fixed default: runs are reproducible
  bool quick = false;              ///< the small, fast settings the tests use
  int epochs = 0;                  ///< 0 when the chapter does not train
  std::filesystem::path data;      ///< dataset directory, when the chapter reads one
  int threads = 2;                 ///< BLAS threads
  bool progress = true;            ///< draw progress bars
  bool resume = false;             ///< continue from the last checkpoints (--resume)
  std::size_t checkpoint_every = 0;  ///< also checkpoint every N steps (0: at epoch ends)

  /// The checkpoint file of one training run of the program, e.g. "mlp":
  /// OUT/checkpoints/mlp.npz. A program with several runs names each one.
  std::filesystem::path checkpoint_file(const std::string& run) const {
    return out / "checkpoints" / (run + ".npz");
  }
};

class ChapterCli {
 public:
  ChapterCli(std::string name, std::string description);

  /// Add --epochs with the default for a full run and the one --quick uses.
  ChapterCli& epochs(int full, int quick);
  /// Add --data with a default directory (and its --help text, when it holds no IDX images).
  ChapterCli& data(std::string default_dir = kFashionMnistDir, std::string help = "");
  /// Add --resume and --checkpoint-every N (for programs whose training runs checkpoint).
  ChapterCli& checkpoints();
  /// The underlying CLI11 app, for chapter-specific flags.
  CLI::App& app() { return app_; }

  /// Parse, apply --threads, create --out, run `body`, and turn any error into a message on
  /// stderr and exit status 1 (2 for a bad command line; 128 + the signal, i.e. 130 or 143,
  /// when training stopped on SIGINT/SIGTERM after saving a checkpoint, with a hint to
  /// resume). Returns the exit status.
  int run(int argc, char** argv, const std::function<void(const ChapterOptions&)>& body);

 private:
  CLI::App app_;
  ChapterOptions opt_;
  int full_epochs_ = 0, quick_epochs_ = 0;
  bool has_epochs_ = false;
  CLI::Option* epochs_opt_ = nullptr;
};

}  // namespace dl
