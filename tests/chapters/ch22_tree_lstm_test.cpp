// ch22_tree_lstm: the quick run generates a treebank, trains the sequential baselines on every
// node's phrase, reports every figure, draws every plot and the example trees, and saves its
// models; a saved model reloads to the same predictions; the same seed gives the same
// figures; a run killed mid-training resumes to the same model, byte for byte; bad flags,
// missing and malformed data fail clearly.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "datasets/treebank.hpp"
#include "dlcore/dlcore.hpp"
#include "support/chapter.hpp"

namespace fs = std::filesystem;

TEST_CASE("ch22 --quick trains the bag of words and the BiLSTM and reports both", "[ch22]") {
  const auto m = testing::quick_metrics("ch22_tree_lstm");
  CHECK(m["train_trees"] == 800);
  CHECK(m["dev_trees"] == 200);
  CHECK(m["test_trees"] == 400);
  CHECK(m["data"] == "generated");
  CHECK(m["train_max_depth"].get<int>() >= 6);
  for (const char* name : {"bilstm", "bow"}) {
    INFO(name);
    const std::string p = name;
    for (const char* key : {"_root_accuracy", "_root_accuracy_binary", "_all_node_accuracy", "_dev_root_accuracy"}) {
      INFO(key);
      const double a = m[p + key].get<double>();
      CHECK(a >= 0.0);
      CHECK(a <= 1.0);
    }
    CHECK(m[p + "_root_accuracy"].get<double>() > 0.2);         // 5 balanced classes: chance is 0.2
    CHECK(m[p + "_root_accuracy_binary"].get<double>() > 0.5);  // 2 classes
    CHECK(m[p + "_all_node_accuracy"].get<double>() > 0.5);     // most nodes are words and short phrases
  }
  // one epoch on 800 trees: the BiLSTM, which sees the order, is ahead of the bag of words
  CHECK(m["bilstm_root_accuracy"].get<double>() > m["bow_root_accuracy"].get<double>());
  // Embedding(V, 32); bag of words: Linear(32 -> 64), Linear(64 -> 5); BiLSTM(32 -> 2x32), Linear(64 -> 5)
  const int V = m["vocabulary"].get<int>();
  CHECK(m["bow_num_params"] == V * 32 + 32 * 64 + 64 + 64 * 5 + 5);
  CHECK(m["bilstm_num_params"] == V * 32 + 2 * (4 * 32 * (32 + 32) + 2 * 4 * 32) + 64 * 5 + 5);
  CHECK_FALSE(m.contains("tree_root_accuracy"));  // the Tree-LSTMs are not wired in yet
  CHECK(m["exercise_levels_match"] == true);
  testing::require_outputs("ch22_tree_lstm",
                           {"train.txt", "dev.txt", "test.txt", "accuracy_by_depth.svg", "accuracy_by_depth.csv",
                            "accuracy_by_negations.svg", "accuracy_by_negations.csv", "dev_accuracy.svg",
                            "example_tree_bilstm.svg", "example_tree_bow.svg", "example_tree_bow.dot", "bilstm.npz",
                            "bow.npz", "metrics.json"});
  const fs::path out = testing::chapter_out("ch22_tree_lstm", "quick");
  // the written treebank reads back: 800 training trees, every one well formed
  const auto train = datasets::read_treebank(out / "train.txt");
  REQUIRE(train.size() == 800);
  for (const auto& t : train) dl::check_tree(t, "train.txt");
  const std::string svg = dl::read_file(out / "example_tree_bilstm.svg");
  CHECK_THAT(svg, Catch::Contains("<svg") && Catch::Contains("#"));

  // ---- model-file round trip: the saved BiLSTM, reloaded, gives the run's probabilities at the example's root
  dl::Rng rng(99);
  dl::Sequential<float> net;
  net.add(dl::Embedding<float>(std::size_t(V), 32, rng)).add(dl::BiLSTM<float>(32, 32, rng))
      .add(dl::MeanSteps<float>()).add(dl::Linear<float>(64, 5, rng));
  dl::load_model(out / "bilstm.npz", net);
  auto vocab = datasets::TreeVocab::from_trees(train, 1);
  std::vector<dl::Tree> example = {datasets::parse_tree(m["example_tree"].get<std::string>())};
  vocab.assign(example);
  const auto words = datasets::leaf_words(example[0]);
  dl::Tensor2<float> ids = dl::Tensor2<float>::from_shape({1, words.size()});
  for (std::size_t i = 0; i < words.size(); ++i) ids(0, i) = float(vocab.id(words[i]));
  const dl::Lengths lengths = {words.size()};
  const dl::Tensor2<float> p = dl::softmax_rows(net.forward2(ids, dl::Context{dl::Mode::eval, nullptr, &lengths}));
  const auto want = m["bilstm_example_root_probs"].get<std::vector<double>>();
  REQUIRE(want.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) CHECK(p(0, k) == Approx(want[k]).margin(1e-6));
}

TEST_CASE("ch22 is reproducible: the same seed gives the same treebank and figures", "[ch22]") {
  const auto a = testing::quick_metrics("ch22_tree_lstm", "--seed 5 --model bow");
  const auto b = testing::quick_metrics("ch22_tree_lstm", "--seed 5 --model bow");
  testing::require_same_values(a, b, {"bow_root_accuracy", "bow_root_accuracy_binary", "bow_all_node_accuracy",
                                      "example_tree", "train_mean_leaves"});
  CHECK_FALSE(a.contains("bilstm_root_accuracy"));  // one model only
}

TEST_CASE("ch22 --data reads SST-format files, and names the file, line and column of a malformed one",
          "[ch22][errors]") {
  const fs::path dir = fs::path(DLBOOK_TEST_OUT) / "chapters" / "ch22_tree_lstm" / ("sst_files." + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string tree = "(1 (2 (2 the) (2 film)) (1 (2 is) (1 (2 not) (3 good))))\n(3 (2 not) (3 bad))\n"
                           "(4 (4 very) (4 (3 good) (4 (2 and) (3 funny))))\n(0 (2 really) (0 awful))\n(2 (2 a) (2 film))\n";
  std::string many;
  for (int i = 0; i < 6; ++i) many += tree;
  for (const char* f : {"train.txt", "dev.txt", "test.txt"}) std::ofstream(dir / f) << many;
  const auto ok = testing::run_chapter("ch22_tree_lstm", "--quick --no-progress --model bow --data '" + dir.string() + "'", "sst");
  INFO(ok.output);
  REQUIRE(ok.status == 0);
  const auto m = dl::read_json(testing::chapter_out("ch22_tree_lstm", "sst") / "metrics.json");
  CHECK(m["train_trees"] == 30);
  CHECK(m["data"] == dir.string());
  CHECK(m.contains("bow_root_accuracy_binary"));

  std::ofstream(dir / "dev.txt") << "(3 (2 not) (3 bad))\n(3 (2 not) (3 bad)\n";
  const auto bad = testing::run_chapter("ch22_tree_lstm", "--quick --no-progress --model bow --data '" + dir.string() + "'", "sst_bad");
  INFO(bad.output);
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, Catch::Contains((dir / "dev.txt").string() + ":2:19:") && Catch::Contains("unbalanced"));
}

TEST_CASE("ch22 killed by SIGKILL resumes from its last checkpoint to the same model", "[ch22][resume]") {
  auto args = [](const fs::path& out, bool resume) {
    std::vector<std::string> a = {"--quick", "--no-progress", "--model", "bilstm", "--epochs", "3", "--seed", "4",
                                  "--checkpoint-every", "40", "--out", out.string()};
    if (resume) a.push_back("--resume");
    return a;
  };
  auto dir = [](const std::string& tag) {
    const fs::path d = testing::chapter_out("ch22_tree_lstm", tag);
    fs::remove_all(d);
    return d;
  };
  const fs::path ref = dir("uninterrupted"), out = dir("sigkill");
  REQUIRE(testing::wait_status(testing::spawn_chapter("ch22_tree_lstm", args(ref, false), ref.string() + ".log")) == 0);
  const pid_t pid = testing::spawn_chapter("ch22_tree_lstm", args(out, false), out.string() + ".stopped.log");
  const fs::path ck = out / "checkpoints" / "bilstm.npz";
  for (int i = 0; i < 12000 && !fs::exists(ck); ++i) ::usleep(5000);  // at most a minute
  REQUIRE(fs::exists(ck));
  ::kill(pid, SIGKILL);
  CHECK(testing::wait_status(pid) == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(out / "metrics.json"));
  REQUIRE(testing::wait_status(testing::spawn_chapter("ch22_tree_lstm", args(out, true), out.string() + ".log")) == 0);
  const std::string log = dl::read_file(out.string() + ".log");
  INFO(log);
  CHECK_THAT(log, Catch::Contains("resuming from"));
  CHECK(dl::read_file(ref / "bilstm.npz") == dl::read_file(out / "bilstm.npz"));  // bit-identical
  const auto ma = dl::read_json(ref / "metrics.json"), mb = dl::read_json(out / "metrics.json");
  for (const char* key : {"bilstm_root_accuracy", "bilstm_all_node_accuracy", "bilstm_dev_root_accuracy"}) {
    INFO(key);
    CHECK(ma[key] == mb[key]);
  }
}

TEST_CASE("ch22 fails clearly on bad flags, a model not wired in, and missing data", "[ch22][errors]") {
  testing::require_missing_data_error("ch22_tree_lstm");
  testing::require_rejects("ch22_tree_lstm", "--model lstm", "--model");
  testing::require_rejects("ch22_tree_lstm", "--quick --model tree", "not wired");
  testing::require_rejects("ch22_tree_lstm", "--hidden 0", "--hidden");
  testing::require_rejects("ch22_tree_lstm", "--max-depth 20", "--max-depth");
  testing::require_help_lists("ch22_tree_lstm", {"--seed", "--quick", "--data", "--epochs", "--out", "--model",
                                                 "--resume", "--checkpoint-every", "--hidden", "--embed", "--threads"});
}
