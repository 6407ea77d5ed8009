#pragma once
// Running a chapter program from a test: build/bin/<chapter> with arguments, its exit
// status and output, and its metrics.json.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "dlcore/io/files.hpp"

namespace testing {

struct ChapterRun {
  int status = -1;       ///< exit status
  std::string output;    ///< stdout and stderr together
  std::filesystem::path out;  ///< its --out directory
};

/// Where a run tagged `tag` writes: one directory per test process, because CTest runs the
/// test cases of one file in parallel and they must not share an output directory.
inline std::filesystem::path chapter_out(const std::string& chapter, const std::string& tag) {
  return std::filesystem::path(DLBOOK_TEST_OUT) / "chapters" / chapter /
         (tag + "." + std::to_string(::getpid()));
}

/// Run build/bin/CHAPTER --out OUT ARGS in OUT as it is (e.g. a directory an earlier run
/// filled, whose model a later run reads).
/// `launcher` goes before the program (e.g. "mpirun -np 2", with its environment).
inline ChapterRun run_chapter_in(const std::string& chapter, const std::filesystem::path& out,
                                 const std::string& args, const std::string& launcher = "") {
  ChapterRun r;
  r.out = out;
  const std::string cmd = launcher + (launcher.empty() ? "" : " ") + std::string(DLBOOK_BIN_DIR) +
                          "/" + chapter + " --out '" + r.out.string() + "' " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), int(buf.size()), p)) r.output += buf.data();
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

/// Run build/bin/CHAPTER --out TEST_OUT/chapters/CHAPTER/TAG.PID ARGS, in an emptied directory.
inline ChapterRun run_chapter(const std::string& chapter, const std::string& args,
                              const std::string& tag = "quick") {
  const std::filesystem::path out = chapter_out(chapter, tag);
  std::filesystem::remove_all(out);
  return run_chapter_in(chapter, out, args);
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
  const auto dir = chapter_out(chapter, tag);
  for (const char* f : files) {
    INFO("expected output " << (dir / f).string());
    REQUIRE(std::filesystem::exists(dir / f));
    REQUIRE(std::filesystem::file_size(dir / f) > 0);
  }
}

/// A bad command line (`args`) is refused with a message naming `mention`, without a crash.
inline void require_rejects(const std::string& chapter, const std::string& args,
                            const std::string& mention) {
  const ChapterRun r = run_chapter(chapter, args, "rejects");
  INFO(chapter << " " << args << ": " << r.output);
  CHECK(r.status != 0);
  CHECK(r.status < 128);  // an error message, not a signal
  CHECK_THAT(r.output, Catch::Contains(mention));
}

/// --help succeeds and lists every flag in `flags`.
inline void require_help_lists(const std::string& chapter, std::initializer_list<const char*> flags) {
  const ChapterRun r = run_chapter(chapter, "--help", "help");
  INFO(r.output);
  CHECK(r.status == 0);
  for (const char* f : flags) CHECK_THAT(r.output, Catch::Contains(f));
}

/// Pointed at a missing --data directory, the program stops with status 1 naming it.
inline void require_missing_data_error(const std::string& chapter) {
  const ChapterRun r = run_chapter(chapter, "--quick --data /nonexistent", "missing");
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK_THAT(r.output, Catch::Contains("/nonexistent"));
}

/// Start build/bin/CHAPTER with `args` in the background, its stdout and stderr into `log`;
/// returns its pid (for tests that interrupt a run).
inline pid_t spawn_chapter(const std::string& chapter, const std::vector<std::string>& args,
                           const std::filesystem::path& log) {
  const std::string bin = std::string(DLBOOK_BIN_DIR) + "/" + chapter;
  std::vector<std::string> all = {bin};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::filesystem::create_directories(log.parent_path());
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

/// Wait for a spawned run: its exit status, or 128 + the signal that killed it.
inline int wait_status(pid_t pid) {
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/// Two runs agree exactly on every key (reproducibility under a fixed seed).
inline void require_same_values(const nlohmann::json& a, const nlohmann::json& b,
                                std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    INFO(key);
    REQUIRE(a.contains(key));
    CHECK(a[key] == b[key]);
  }
}

}  // namespace testing
