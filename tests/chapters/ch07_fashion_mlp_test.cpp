// ch07_fashion_mlp: the quick run learns, reports every figure, and draws every plot;
// --data works with MNIST-layout folders and fails clearly on bad ones; a run interrupted
// (SIGTERM, SIGINT, SIGKILL) and resumed ends bit-identical to one that never stopped.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "datasets/idx.hpp"
#include "datasets/mnist.hpp"
#include "support/chapter.hpp"

namespace fs = std::filesystem;

TEST_CASE("ch07 --quick trains the MLP and reports its metrics", "[ch07]") {
  const auto m = testing::quick_metrics("ch07_fashion_mlp");
  CHECK(m["epochs"] == 1);
  CHECK(m["num_params"] == 784 * 512 + 512 + 512 * 10 + 10);
  CHECK(m["test_accuracy"].get<double>() > 0.70);  // 5,000 images, one epoch: about 0.78
  CHECK(m["test_accuracy"].get<double>() < 1.0);
  CHECK(m["test_loss"].get<double>() < 0.9);
  CHECK(m["macro_f1"].get<double>() > 0.6);
  CHECK(m["f1_trouser"].get<double>() > 0.8);
  CHECK(m["exercise_macro_f1_matches"] == true);
  testing::require_outputs("ch07_fashion_mlp", {"loss.svg", "accuracy.svg", "confusion.svg",
                                                "misclassified.svg", "history.csv", "model.npz"});
}

TEST_CASE("ch07 is reproducible: the same seed gives the same figures", "[ch07]") {
  const auto a = testing::quick_metrics("ch07_fashion_mlp", "--seed 7");
  const auto b = testing::quick_metrics("ch07_fashion_mlp", "--seed 7");
  testing::require_same_values(a, b, {"test_accuracy", "test_loss"});
}

TEST_CASE("ch07 trains on a folder of MNIST-named IDX files", "[ch07]") {
  // An MNIST-layout folder (uncompressed, "train-images.idx3-ubyte" spelling) made from a
  // slice of Fashion-MNIST: the program must find and read it.
  const fs::path dir = fs::path(DLBOOK_TEST_OUT) / "chapters" / "mnist_layout";
  fs::create_directories(dir);
  for (auto split : {datasets::Split::train, datasets::Split::test}) {
    auto s = datasets::load_idx_split("/usr/share/datasets/fashion-mnist", split);
    const std::size_t n = split == datasets::Split::train ? 3000 : 500;
    const std::string prefix = split == datasets::Split::train ? "train" : "t10k";
    datasets::write_idx_images(dir / (prefix + "-images.idx3-ubyte"),
                               xt::eval(xt::view(s.images, xt::range(0, n))));
    datasets::write_idx_labels(dir / (prefix + "-labels.idx1-ubyte"),
                               xt::eval(xt::view(s.labels, xt::range(0, n))));
  }
  const auto r = testing::run_chapter("ch07_fashion_mlp",
                                      "--quick --no-progress --data '" + dir.string() + "'", "mnist");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("train 2000 / validation 1000 / test 500"));
  const auto m = dl::read_json(r.out / "metrics.json");
  CHECK(m["test_accuracy"].get<double>() > 0.5);
  CHECK(m.contains("f1_9"));  // digits as class names outside a "fashion" folder
}

TEST_CASE("ch07 fails clearly on a missing or corrupt dataset", "[ch07][errors]") {
  testing::require_missing_data_error("ch07_fashion_mlp");

  const fs::path dir = fs::path(DLBOOK_TEST_OUT) / "chapters" / "corrupt_layout";
  fs::create_directories(dir);
  for (const char* f : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    std::ofstream(dir / f) << "garbage";
  const auto bad = testing::run_chapter("ch07_fashion_mlp", "--quick --data '" + dir.string() + "'", "corrupt");
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, Catch::Contains("train-images-idx3-ubyte") && Catch::Contains("magic"));

  testing::require_rejects("ch07_fashion_mlp", "--epochs zero", "--epochs");
  testing::require_help_lists("ch07_fashion_mlp", {"--seed", "--quick", "--data", "--epochs", "--out"});
}

TEST_CASE("ch07 refuses --seed -1 and a --val that leaves no training or no validation images",
          "[ch07][errors]") {
  testing::require_rejects("ch07_fashion_mlp", "--seed -1", "--seed");  // not 2^64 - 1
  testing::require_rejects("ch07_fashion_mlp", "--val 60000", "--val 60000");
  testing::require_rejects("ch07_fashion_mlp", "--val 0", "--val 0");
  testing::require_rejects("ch07_fashion_mlp", "--batch-size -1", "--batch-size");
}

// ---- Interrupt and resume: the run stopped by SIGTERM, SIGINT or SIGKILL and continued with
// --resume ends with the same model file, byte for byte, and the same metrics (timings aside)
// as the run that never stopped.
namespace {

pid_t spawn_ch07(const std::vector<std::string>& args, const fs::path& log) {
  return testing::spawn_chapter("ch07_fashion_mlp", args, log);
}
using testing::wait_status;

// The common flags of every run here: three quick epochs (120 steps), a checkpoint every 5.
std::vector<std::string> resume_args(const fs::path& out, bool resume) {
  std::vector<std::string> a = {"--quick", "--no-progress", "--epochs", "3", "--seed", "3",
                                "--checkpoint-every", "5", "--out", out.string()};
  if (resume) a.push_back("--resume");
  return a;
}

// Run to the end; returns the output.
std::string run_to_end(const fs::path& out, bool resume) {
  const pid_t pid = spawn_ch07(resume_args(out, resume), out.string() + ".log");
  const int status = wait_status(pid);
  const std::string log = dl::read_file(out.string() + ".log");
  INFO(log);
  REQUIRE(status == 0);
  return log;
}

// Start a run, wait for its first checkpoint, send `sig`, and return the exit status.
int interrupt_run(const fs::path& out, int sig) {
  const pid_t pid = spawn_ch07(resume_args(out, false), out.string() + ".stopped.log");
  const fs::path ck = out / "checkpoints" / "mlp.npz";
  for (int i = 0; i < 12000 && !fs::exists(ck); ++i) ::usleep(5000);  // at most a minute
  REQUIRE(fs::exists(ck));
  ::kill(pid, sig);
  return wait_status(pid);
}

// The stopped-and-resumed run in `b` matches the uninterrupted one in `a`.
void require_same_result(const fs::path& a, const fs::path& b) {
  CHECK(dl::read_file(a / "model.npz") == dl::read_file(b / "model.npz"));  // bit-identical
  const auto ma = dl::read_json(a / "metrics.json"), mb = dl::read_json(b / "metrics.json");
  CHECK(ma.size() == mb.size());
  for (const auto& [key, value] : ma.items()) {
    if (key.find("seconds") != std::string::npos) continue;  // timings differ
    INFO(key);
    CHECK(value == mb[key]);
  }
  CHECK(dl::read_file(a / "history.csv").size() > 0);
}

fs::path resume_dir(const std::string& tag) {
  const fs::path d = testing::chapter_out("ch07_fashion_mlp", tag);
  fs::remove_all(d);
  return d;
}

}  // namespace

TEST_CASE("ch07 stopped by SIGTERM or SIGINT resumes to the same model", "[ch07][resume]") {
  const fs::path ref = resume_dir("uninterrupted");
  run_to_end(ref, false);
  for (const int sig : {SIGTERM, SIGINT}) {
    INFO("signal " << sig);
    const fs::path out = resume_dir(sig == SIGTERM ? "sigterm" : "sigint");
    const int status = interrupt_run(out, sig);
    const std::string stopped = dl::read_file(out.string() + ".stopped.log");
    INFO(stopped);
    CHECK(status == 128 + sig);  // 143 or 130: stopped on the signal, not killed by it
    CHECK_THAT(stopped, Catch::Contains(sig == SIGTERM ? "SIGTERM" : "SIGINT") &&
                            Catch::Contains("checkpoint saved") && Catch::Contains("--resume"));
    CHECK_FALSE(fs::exists(out / "metrics.json"));  // it really stopped early
    const std::string resumed = run_to_end(out, true);
    CHECK_THAT(resumed, Catch::Contains("resuming from"));
    require_same_result(ref, out);
  }
}

TEST_CASE("ch07 killed by SIGKILL resumes from its last checkpoint to the same model",
          "[ch07][resume]") {
  const fs::path ref = resume_dir("uninterrupted_k");
  run_to_end(ref, false);
  const fs::path out = resume_dir("sigkill");
  CHECK(interrupt_run(out, SIGKILL) == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(out / "metrics.json"));
  // what a SIGKILL during a checkpoint write leaves: the temporary, never renamed
  const fs::path stale = out / "checkpoints" / "mlp.npz.tmp4194303";
  std::ofstream(stale) << "half a checkpoint";
  const std::string resumed = run_to_end(out, true);
  CHECK_THAT(resumed, Catch::Contains("resuming from") && Catch::Contains("removed") &&
                          Catch::Contains("mlp.npz.tmp4194303"));
  CHECK_FALSE(fs::exists(stale));
  require_same_result(ref, out);
}

TEST_CASE("ch07 --resume reads only sound checkpoints", "[ch07][resume][errors]") {
  const fs::path out = resume_dir("corrupt_checkpoint");
  fs::create_directories(out / "checkpoints");
  std::ofstream(out / "checkpoints" / "mlp.npz") << "PK\x03\x04 a few bytes";
  const pid_t pid = spawn_ch07(resume_args(out, true), out.string() + ".log");
  CHECK(wait_status(pid) == 1);
  CHECK_THAT(dl::read_file(out.string() + ".log"),
             Catch::Contains("mlp.npz") && Catch::Contains("truncated"));
  testing::require_help_lists("ch07_fashion_mlp", {"--resume", "--checkpoint-every"});
}
