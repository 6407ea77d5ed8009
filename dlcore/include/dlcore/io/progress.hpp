#pragma once
/// \file
/// A progress bar for long loops, on standard error. On a terminal it redraws one line;
/// in a log (not a terminal) it prints only the final line, so CI logs stay short.

#include <chrono>
#include <string>

namespace dl {

class Progress {
 public:
  /// `total` steps, labelled e.g. "epoch 3/10".
  Progress(std::size_t total, std::string label, bool enabled = true);
  /// Mark `done` steps finished; `status` is appended, e.g. "loss 0.412".
  void update(std::size_t done, const std::string& status = {});
  /// Print the final state and a newline.
  void finish(const std::string& status = {});
  /// Globally silence all bars (tests, --quiet).
  static void set_quiet(bool q);

 private:
  void draw(std::size_t done, const std::string& status, bool final);
  std::size_t total_;
  std::string label_;
  bool enabled_, tty_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace dl
