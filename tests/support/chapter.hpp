#pragma once
// Running a chapter program from a test: build/bin/<chapter> with arguments, its exit
// status and output, and its metrics.json.

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "dlcore/io/files.hpp"

namespace testing {

struct ChapterRun {
  int status = -1;       ///< exit status
  std::string output;    ///< stdout and stderr together
  std::filesystem::path out;  ///< its --out directory
};

/// Run build/bin/<chapter> --out <test-out>/<chapter>/<tag> <args>.
inline ChapterRun run_chapter(const std::string& chapter, const std::string& args,
                              const std::string& tag = "quick") {
  ChapterRun r;
  r.out = std::filesystem::path(DLBOOK_TEST_OUT) / "chapters" / chapter / tag;
  std::filesystem::remove_all(r.out);
  const std::string cmd = std::string(DLBOOK_BIN_DIR) + "/" + chapter + " --out '" +
                          r.out.string() + "' " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), int(buf.size()), p)) r.output += buf.data();
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

/// Run with --quick (plus args), require success, and return metrics.json.
inline nlohmann::json quick_metrics(const std::string& chapter, const std::string& args = "") {
  const ChapterRun r = run_chapter(chapter, "--quick --no-progress " + args);
  INFO(r.output);
  REQUIRE(r.status == 0);
  return dl::read_json(r.out / "metrics.json");
}

/// Require that the chapter wrote these files into its out directory (non-empty).
inline void require_outputs(const std::string& chapter, std::initializer_list<const char*> files,
                            const std::string& tag = "quick") {
  const auto dir = std::filesystem::path(DLBOOK_TEST_OUT) / "chapters" / chapter / tag;
  for (const char* f : files) {
    INFO("expected output " << (dir / f).string());
    REQUIRE(std::filesystem::exists(dir / f));
    REQUIRE(std::filesystem::file_size(dir / f) > 0);
  }
}

}  // namespace testing
