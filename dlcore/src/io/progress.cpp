#include "dlcore/io/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace dl {

namespace {
bool g_quiet = false;
}

void Progress::set_quiet(bool q) { g_quiet = q; }

Progress::Progress(std::size_t total, std::string label, bool enabled)
    : total_(total),
      label_(std::move(label)),
      enabled_(enabled && !g_quiet),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(std::size_t done, const std::string& status) {
  if (!enabled_ || !tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  draw(done, status, false);
}

void Progress::finish(const std::string& status) {
  if (enabled_) draw(total_, status, true);
}

void Progress::draw(std::size_t done, const std::string& status, bool final) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double frac = total_ ? double(done) / double(total_) : 1.0;
  constexpr int width = 28;
  const int filled = int(frac * width);
  std::string bar(std::size_t(filled), '#');
  bar += std::string(std::size_t(width - filled), '.');
  const double eta = frac > 0 ? secs * (1 - frac) / frac : 0.0;
  std::string line = fmt::format("{} [{}] {}/{} {:.1f}s", label_, bar, done, total_, secs);
  if (!final && done < total_) line += fmt::format(" (eta {:.0f}s)", eta);
  if (!status.empty()) line += "  " + status;
  if (tty_) std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
  else std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace dl
