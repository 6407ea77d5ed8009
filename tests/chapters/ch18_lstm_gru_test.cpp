// ch18_lstm_gru: the quick run trains every cell on both tasks and LSTM and GRU on Fashion-MNIST
// rows, reports every figure and draws every plot; the same seed gives the same figures; a run
// killed mid-training resumes to the same model, byte for byte; bad flags fail clearly.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "dlcore/io/params.hpp"
#include "dlcore/models/recurrent.hpp"
#include "support/chapter.hpp"

namespace fs = std::filesystem;

TEST_CASE("ch18 --quick runs the three cells on both tasks and LSTM and GRU on Fashion-MNIST rows", "[ch18]") {
  const auto m = testing::quick_metrics("ch18_lstm_gru");
  for (const char* c : {"rnn", "lstm", "gru"}) {
    INFO(c);
    const double mse = m[std::string("adding_T10_") + c + "_mse"].get<double>();
    CHECK(mse > 0.0);
    CHECK(mse < 1.0);
    const double acc = m[std::string("copy_T5_") + c + "_accuracy"].get<double>();
    CHECK(acc >= 0.0);
    CHECK(acc <= 1.0);
  }
  // LSTM(28 -> 128) + Linear(128 -> 10): 4*128*(28 + 128) + 2*4*128 + 1290; GRU: 3/4 of the gates
  CHECK(m["lstm_num_params"] == 4 * 128 * (28 + 128) + 2 * 4 * 128 + 1290);
  CHECK(m["gru_num_params"] == 3 * 128 * (28 + 128) + 2 * 3 * 128 + 1290);
  // 1,500 images, one epoch: both readers learn something (chance 0.1)
  CHECK(m["lstm_test_accuracy"].get<double>() > 0.3);
  CHECK(m["gru_test_accuracy"].get<double>() > 0.3);
  CHECK(m["exercise_lstm_step_matches"] == true);
  testing::require_outputs("ch18_lstm_gru",
                           {"adding_vs_T.svg", "adding_curves.svg", "copy_vs_T.svg", "copy_curves.svg",
                            "fashion_loss.svg", "fashion_accuracy.svg", "lstm.npz", "gru.npz",
                            "metrics.json"});
}

TEST_CASE("ch18 is reproducible: the same seed gives the same figures", "[ch18]") {
  const auto a = testing::quick_metrics("ch18_lstm_gru", "--seed 5 --cell gru");
  const auto b = testing::quick_metrics("ch18_lstm_gru", "--seed 5 --cell gru");
  testing::require_same_values(a, b, {"gru_test_accuracy", "gru_test_loss", "adding_T10_gru_mse",
                                      "copy_T5_gru_accuracy"});
}

TEST_CASE("ch18 killed by SIGKILL resumes from its last checkpoint to the same model", "[ch18][resume]") {
  auto args = [](const fs::path& out, bool resume) {
    std::vector<std::string> a = {"--quick", "--no-progress", "--skip-tasks", "--cell", "lstm",
                                  "--epochs", "3", "--seed", "4", "--checkpoint-every", "4",
                                  "--out", out.string()};
    if (resume) a.push_back("--resume");
    return a;
  };
  auto dir = [](const std::string& tag) {
    const fs::path d = testing::chapter_out("ch18_lstm_gru", tag);
    fs::remove_all(d);
    return d;
  };
  const fs::path ref = dir("uninterrupted"), out = dir("sigkill");
  REQUIRE(testing::wait_status(testing::spawn_chapter("ch18_lstm_gru", args(ref, false), ref.string() + ".log")) == 0);
  const pid_t pid = testing::spawn_chapter("ch18_lstm_gru", args(out, false), out.string() + ".stopped.log");
  const fs::path ck = out / "checkpoints" / "lstm.npz";
  for (int i = 0; i < 12000 && !fs::exists(ck); ++i) ::usleep(5000);  // at most a minute
  REQUIRE(fs::exists(ck));
  ::kill(pid, SIGKILL);
  CHECK(testing::wait_status(pid) == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(out / "metrics.json"));
  REQUIRE(testing::wait_status(testing::spawn_chapter("ch18_lstm_gru", args(out, true), out.string() + ".log")) == 0);
  const std::string log = dl::read_file(out.string() + ".log");
  INFO(log);
  CHECK_THAT(log, Catch::Contains("resuming from"));
  CHECK(dl::read_file(ref / "lstm.npz") == dl::read_file(out / "lstm.npz"));  // bit-identical
  const auto ma = dl::read_json(ref / "metrics.json"), mb = dl::read_json(out / "metrics.json");
  for (const char* key : {"lstm_test_accuracy", "lstm_test_loss", "lstm_val_accuracy"}) {
    INFO(key);
    CHECK(ma[key] == mb[key]);
  }
}

TEST_CASE("ch18 --resume reads only sound checkpoints and removes a killed run's half-written one",
          "[ch18][resume][errors]") {
  auto resume = [](const fs::path& out) {
    return testing::run_chapter_in("ch18_lstm_gru", out,
                                   "--quick --no-progress --skip-tasks --cell lstm --epochs 1 --resume");
  };
  const fs::path out = testing::chapter_out("ch18_lstm_gru", "bad_checkpoint");
  fs::remove_all(out);
  fs::create_directories(out / "checkpoints");
  const fs::path ck = out / "checkpoints" / "lstm.npz", stale = out / "checkpoints" / "lstm.npz.tmp999999";
  // a truncated archive, and the temporary of a run killed while writing it
  std::ofstream(ck, std::ios::binary) << "PK\x03\x04 a few bytes";
  std::ofstream(stale, std::ios::binary) << "PK\x03\x04 half";
  const auto truncated = resume(out);
  INFO(truncated.output);
  CHECK(truncated.status == 1);
  CHECK_THAT(truncated.output, Catch::Contains("removed " + stale.string()) &&
                                   Catch::Contains("lstm.npz") && Catch::Contains("truncated"));
  CHECK_FALSE(fs::exists(stale));
  // a model file of the same network: a valid archive, but not a checkpoint
  dl::Rng rng(1);
  dl::Sequential<float> lstm = dl::sequence_to_one<float>(dl::CellKind::lstm, 28, 128, 10, rng);
  dl::save_model(ck, lstm);
  const auto model = resume(out);
  INFO(model.output);
  CHECK(model.status == 1);
  CHECK_THAT(model.output, Catch::Contains("lstm.npz") && Catch::Contains("checkpoint.json"));
  // not a crash: nothing but the error (and no metrics) after a refused checkpoint
  CHECK_FALSE(fs::exists(out / "metrics.json"));
  CHECK_FALSE(fs::exists(out / "lstm.npz"));
}

TEST_CASE("ch18 fails clearly on bad flags and missing data", "[ch18][errors]") {
  testing::require_missing_data_error("ch18_lstm_gru");
  testing::require_rejects("ch18_lstm_gru", "--cell lstmm", "--cell");
  testing::require_rejects("ch18_lstm_gru", "--task-steps 0", "--task-steps");
  testing::require_help_lists("ch18_lstm_gru", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                "--cell", "--resume", "--adding-T"});
}
