// The chapter programs' whole-number flags take decimal digits within their type's range:
// "--seed -1" is refused instead of wrapping to 18446744073709551615, and so are numbers
// too large for 64 bits and octal-looking "010".
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dlcore/io/cli.hpp"
#include "support/scratch.hpp"

using namespace dl;

namespace {
// Run a ChapterCli with these arguments; returns the exit status and the seed it saw.
std::pair<int, std::uint64_t> run(std::vector<std::string> args, const std::string& tag) {
  ChapterCli cli("cli_test", "test");
  std::size_t count = 0;
  cli.app().add_option("--count", count, "a size_t flag");
  args.insert(args.begin(), "cli_test");
  args.push_back("--out");
  args.push_back(testing::scratch_dir("io", tag).string());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::uint64_t seen = 0;
  const int status = cli.run(int(argv.size()), argv.data(), [&](const ChapterOptions& o) { seen = o.seed; });
  return {status, seen};
}
}  // namespace

TEST_CASE("The seed flag takes decimal digits from 0 to 2^64 - 1", "[cli]") {
  CHECK(run({"--seed", "7"}, "cli_ok") == std::pair<int, std::uint64_t>{0, 7});
  CHECK(run({"--seed", "0"}, "cli_ok") == std::pair<int, std::uint64_t>{0, 0});
  CHECK(run({"--seed", "18446744073709551615"}, "cli_ok") ==
        std::pair<int, std::uint64_t>{0, 18446744073709551615u});
  CHECK(run({}, "cli_ok").second == 42);  // the fixed default
}

TEST_CASE("A seed of -1, and other numbers that would wrap, are refused", "[cli][errors]") {
  for (const char* bad : {"-1", "18446744073709551616", "99999999999999999999999", "010", "0x10",
                          "+5", "1e3", " 5", ""}) {
    INFO("--seed '" << bad << "'");
    CHECK(run({"--seed", bad}, "cli_bad").first == 2);  // a bad command line, the body never runs
  }
  CHECK(run({"--count", "-1"}, "cli_bad").first == 2);  // every unsigned flag, not only --seed
  CHECK(run({"--count", "3"}, "cli_bad").first == 0);
  CHECK(run({"--threads", "-2"}, "cli_bad").first == 2);
}
