// ch22_tree_lstm: the quick run generates a treebank, trains the two Tree-LSTMs on the trees and
// the sequential baselines on every node's phrase, reports every figure, draws every plot and
// the example trees, and saves its models; saved models (BiLSTM, binary Tree-LSTM) reload to
// the same predictions; the same seed gives the same figures; a run killed mid-training
// resumes to the same model, byte for byte (BiLSTM and Tree-LSTM); the whole tree model's
// gradient (embedding, cell, classifier, loss at the labelled nodes) matches central
// differences; bad flags, missing and malformed data fail clearly.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "datasets/treebank.hpp"
#include "dlcore/dlcore.hpp"
#include "support/chapter.hpp"
#include "support/gradcheck.hpp"

#include "../../chapters/ch22_tree_lstm/tree_models.hpp"

namespace fs = std::filesystem;

TEST_CASE("ch22 --quick trains the Tree-LSTMs, the BiLSTM and the bag of words and reports them all", "[ch22]") {
  const auto m = testing::quick_metrics("ch22_tree_lstm");
  CHECK(m["train_trees"] == 800);
  CHECK(m["dev_trees"] == 200);
  CHECK(m["test_trees"] == 400);
  CHECK(m["data"] == "generated");
  CHECK(m["train_max_depth"].get<int>() >= 6);
  for (const char* name : {"tree", "childsum", "bilstm", "bow"}) {
    INFO(name);
    const std::string p = name;
    for (const char* key : {"_root_accuracy", "_root_accuracy_binary", "_all_node_accuracy", "_dev_root_accuracy"}) {
      INFO(key);
      const double a = m[p + key].get<double>();
      CHECK(a >= 0.0);
      CHECK(a <= 1.0);
    }
    // 5 balanced classes: chance is 0.2 (the Tree-LSTMs take only 32 steps in one quick epoch
    // of 800 trees, against the baselines' 400 on phrases: no claim for their roots yet)
    if (p == "bilstm" || p == "bow") CHECK(m[p + "_root_accuracy"].get<double>() > 0.2);
    CHECK(m[p + "_root_accuracy_binary"].get<double>() > 0.5);  // 2 classes
    CHECK(m[p + "_all_node_accuracy"].get<double>() > 0.5);     // most nodes are words and short phrases
  }
  // one epoch on 800 trees: the BiLSTM, which sees the order, is ahead of the bag of words
  CHECK(m["bilstm_root_accuracy"].get<double>() > m["bow_root_accuracy"].get<double>());
  // Embedding(V, 32); bag of words: Linear(32 -> 64), Linear(64 -> 5); BiLSTM(32 -> 2x32), Linear(64 -> 5)
  const int V = m["vocabulary"].get<int>();
  CHECK(m["bow_num_params"] == V * 32 + 32 * 64 + 64 + 64 * 5 + 5);
  CHECK(m["bilstm_num_params"] == V * 32 + 2 * (4 * 32 * (32 + 32) + 2 * 4 * 32) + 64 * 5 + 5);
  // binary Tree-LSTM (H = 32): W (5H, E), U (5H, 2H), b (5H), Linear(32 -> 5);
  // Child-Sum (H = 48): W (4H, E), U (4H, H), b (4H), Linear(48 -> 5)
  CHECK(m["tree_num_params"] == V * 32 + 5 * 32 * 32 + 5 * 32 * 64 + 5 * 32 + 32 * 5 + 5);
  CHECK(m["childsum_num_params"] == V * 32 + 4 * 48 * 32 + 4 * 48 * 48 + 4 * 48 + 48 * 5 + 5);
  CHECK(m["exercise_levels_match"] == true);
  testing::require_outputs("ch22_tree_lstm",
                           {"train.txt", "dev.txt", "test.txt", "accuracy_by_depth.svg", "accuracy_by_depth.csv",
                            "accuracy_by_negations.svg", "accuracy_by_negations.csv", "dev_accuracy.svg",
                            "example_tree_bilstm.svg", "example_tree_bow.svg", "example_tree_bow.dot", "example_tree_tree.svg",
                            "example_tree_childsum.svg", "bilstm.npz", "bow.npz", "tree.npz", "childsum.npz",
                            "metrics.json"});
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

  // ---- the saved binary Tree-LSTM, reloaded, gives the run's probabilities at the example's root
  dl::Sequential<float> tree;
  tree.add(dl::Embedding<float>(std::size_t(V), 32, rng))
      .add(dl::BinaryTreeLSTM<float>(32, 32, rng, dl::TreeInputs::leaves_only))
      .add(dl::Linear<float>(32, 5, rng));
  dl::load_model(out / "tree.npz", tree);
  dl::Embedding<float>::Cache ce;
  dl::BinaryTreeLSTM<float>::Cache cc;
  dl::Linear<float>::Cache cl;
  const dl::Tensor3<float> e = tree.layer<dl::Embedding<float>>(0).forward(ids, ce);  // the leaves are the words
  const dl::Tensor2<float> x = xt::reshape_view(e, {e.shape(0), std::size_t(32)});
  const dl::Tensor2<float> h = tree.layer<dl::BinaryTreeLSTM<float>>(1).forward({&example[0]}, x, cc);
  const dl::Tensor2<float> pt = dl::softmax_rows(tree.layer<dl::Linear<float>>(2).forward(h, cl));
  const auto want_tree = m["tree_example_root_probs"].get<std::vector<double>>();
  REQUIRE(want_tree.size() == 5);
  const std::size_t root = example[0].root();
  for (std::size_t k = 0; k < 5; ++k) CHECK(pt(root, k) == Approx(want_tree[k]).margin(1e-6));
}

namespace {
// A tree from its s-expression with word ids 0, 1, 2, ... for the leaves left to right (mod V)
// and the labels it states, except the nodes in `unlabelled` (post-order indices): -1.
dl::Tree ids_tree(const std::string& sexpr, std::size_t V, std::vector<std::size_t> unlabelled = {}) {
  dl::Tree t = datasets::parse_tree(sexpr);
  int w = 0;
  for (auto& n : t.nodes)
    if (n.children.empty()) n.token = w++ % int(V);
  for (auto i : unlabelled) t.nodes.at(i).label = -1;
  return t;
}

// Every gradient of the whole tree model (word vectors, cell, classifier) on `trees`, against
// central differences of the mean cross-entropy over the labelled nodes.
template <class Cell>
void check_tree_model(const std::string& kind, const std::vector<dl::Tree>& trees, std::size_t V) {
  dl::Rng rng(11);
  dl::Sequential<double> net = ch22::tree_model<double>(kind, V, 4, 3, rng);
  std::vector<const dl::Tree*> ptrs;
  for (const auto& t : trees) ptrs.push_back(&t);
  std::vector<int> labels;
  std::vector<double> ids;
  for (const auto& t : trees)
    for (const auto& n : t.nodes) {
      labels.push_back(n.label);
      if (n.children.empty()) ids.push_back(double(n.token));
    }
  dl::Tensor2<double> X = dl::Tensor2<double>::from_shape({1, ids.size()});
  std::copy(ids.begin(), ids.end(), X.begin());
  auto params = net.params();
  dl::zero_grad(params);
  ch22::tree_pass<double, Cell>(net, ptrs, X, labels, true);
  auto objective = [&] { return double(ch22::tree_pass<double, Cell>(net, ptrs, X, labels, false).loss); };
  for (const auto& p : params) {
    INFO(kind << " " << p.name);
    testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
  }
}
}  // namespace

TEST_CASE("ch22's tree models: every gradient of embedding + Tree-LSTM + classifier matches central differences",
          "[ch22][gradcheck]") {
  const std::size_t V = 6;  // fewer word ids than leaves: a word vector shared by two leaves sums its gradients
  const std::vector<dl::Tree> binary = {
      ids_tree("(3 (2 not) (4 (3 very) (4 good)))", V),
      ids_tree("(1 (2 a) (0 (1 (2 b) (3 c)) (4 (1 d) (2 (0 e) (3 f)))))", V, {3, 6}),  // unbalanced, unlabelled inside
      ids_tree("(4 w)", V)};                                                            // a lone leaf
  check_tree_model<dl::BinaryTreeLSTM<double>>("tree", binary, V);
  std::vector<dl::Tree> any = binary;
  any.push_back(ids_tree("(2 (1 a) (3 (2 b) (4 c) (0 d)) (2 (1 e)))", V, {5}));  // three children and one
  check_tree_model<dl::ChildSumTreeLSTM<double>>("childsum", any, V);
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

namespace {
// Run `model` uninterrupted, and again killed by SIGKILL once its first checkpoint exists and
// resumed: the same model file, byte for byte, and the same figures.
void require_kill_and_resume(const std::string& model, const std::vector<std::string>& settings) {
  auto args = [&](const fs::path& out, bool resume) {
    std::vector<std::string> a = settings;
    a.insert(a.end(), {"--no-progress", "--model", model, "--seed", "4", "--out", out.string()});
    if (resume) a.push_back("--resume");
    return a;
  };
  auto dir = [](const std::string& tag) {
    const fs::path d = testing::chapter_out("ch22_tree_lstm", tag);
    fs::remove_all(d);
    return d;
  };
  const fs::path ref = dir(model + ".uninterrupted"), out = dir(model + ".sigkill");
  REQUIRE(testing::wait_status(testing::spawn_chapter("ch22_tree_lstm", args(ref, false), ref.string() + ".log")) == 0);
  const pid_t pid = testing::spawn_chapter("ch22_tree_lstm", args(out, false), out.string() + ".stopped.log");
  const fs::path ck = out / "checkpoints" / (model + ".npz");
  for (int i = 0; i < 12000 && !fs::exists(ck); ++i) ::usleep(5000);  // at most a minute
  REQUIRE(fs::exists(ck));
  ::kill(pid, SIGKILL);
  CHECK(testing::wait_status(pid) == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(out / "metrics.json"));
  REQUIRE(testing::wait_status(testing::spawn_chapter("ch22_tree_lstm", args(out, true), out.string() + ".log")) == 0);
  const std::string log = dl::read_file(out.string() + ".log");
  INFO(log);
  CHECK_THAT(log, Catch::Contains("resuming from"));
  CHECK(dl::read_file(ref / (model + ".npz")) == dl::read_file(out / (model + ".npz")));  // bit-identical
  const auto ma = dl::read_json(ref / "metrics.json"), mb = dl::read_json(out / "metrics.json");
  for (const char* key : {"_root_accuracy", "_all_node_accuracy", "_dev_root_accuracy"}) {
    INFO(model + key);
    CHECK(ma[model + key] == mb[model + key]);
  }
}
}  // namespace

TEST_CASE("ch22 killed by SIGKILL resumes from its last checkpoint to the same model", "[ch22][resume]") {
  SECTION("BiLSTM") { require_kill_and_resume("bilstm", {"--quick", "--epochs", "3", "--checkpoint-every", "40"}); }
  // The Tree-LSTM is fast: 2,000 trees in batches of 5 (400 steps an epoch), a checkpoint
  // every 20 steps, so the kill lands well before the end.
  SECTION("binary Tree-LSTM") {
    require_kill_and_resume("tree", {"--train", "2000", "--dev", "100", "--test", "100", "--epochs", "3",
                                     "--tree-batch-size", "5", "--checkpoint-every", "20"});
  }
}

TEST_CASE("ch22 fails clearly on bad flags and missing data", "[ch22][errors]") {
  testing::require_missing_data_error("ch22_tree_lstm");
  testing::require_rejects("ch22_tree_lstm", "--model lstm", "--model");
  testing::require_rejects("ch22_tree_lstm", "--tree-batch-size 0", "--tree-batch-size");
  testing::require_rejects("ch22_tree_lstm", "--hidden 0", "--hidden");
  testing::require_rejects("ch22_tree_lstm", "--max-depth 20", "--max-depth");
  testing::require_help_lists("ch22_tree_lstm", {"--seed", "--quick", "--data", "--epochs", "--out", "--model",
                                                 "--resume", "--checkpoint-every", "--hidden", "--embed", "--threads",
                                                 "--tree-batch-size"});
}
