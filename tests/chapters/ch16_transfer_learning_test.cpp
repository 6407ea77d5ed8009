// ch16_transfer_learning: the quick run pretrains, saves, reloads and transfers; --predict
// classifies the sample picture with the saved model and fails clearly on a missing model,
// a model of another architecture, or a picture of the wrong size.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "dlcore/io/image.hpp"
#include "dlcore/io/params.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/models/small_cnn.hpp"
#include "support/chapter.hpp"
#include "support/crafted.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;

namespace {
const std::string kSample =
    std::string(DLBOOK_SOURCE_DIR) + "/chapters/ch16_transfer_learning/sample_ankle_boot.pgm";

// Run the chapter with --out OUT (an existing run's directory, kept as it is) and ARGS.
testing::ChapterRun run_in(const fs::path& out, const std::string& args) {
  return testing::run_chapter_in("ch16_transfer_learning", out, args);
}
}  // namespace

TEST_CASE("ch16 --quick transfers and --predict uses the saved model", "[ch16]") {
  const auto m = testing::quick_metrics("ch16_transfer_learning");
  CHECK(m["epochs"] == 1);
  CHECK(m["labels_per_class"] == 20);
  CHECK(m["target_test_size"] == 1000);
  // quick settings (2,700 images pretraining, 40 steps): about 0.78, 0.82, 0.89, 0.91, 0.73
  CHECK(m["pretrain_test_accuracy"].get<double>() > 0.6);
  CHECK(m["frozen_test_accuracy"].get<double>() > 0.6);
  CHECK(m["finetune_test_accuracy"].get<double>() > 0.6);
  CHECK(m["scratch_test_accuracy"].get<double>() > 0.6);
  CHECK(m["conv_only_test_accuracy"].get<double>() > 0.6);  // the articles' recipe: kernels kept
  CHECK(m["nearest_mean_test_accuracy"].get<double>() > 0.5);
  for (const char* k : {"pretrain_test_accuracy", "frozen_test_accuracy", "finetune_test_accuracy",
                        "scratch_test_accuracy", "conv_only_test_accuracy"})
    CHECK(m[k].get<double>() < 1.0);
  testing::require_outputs("ch16_transfer_learning",
                           {"pretrained.npz", "finetuned.npz", "curves.svg", "curves.csv",
                            "accuracy_vs_labels.svg", "accuracy_vs_labels.csv", "pretrain_loss.svg"});

  // --predict with the model this run saved (the default is OUT/finetuned.npz)
  const fs::path out = testing::chapter_out("ch16_transfer_learning", "quick");
  const auto r = run_in(out, "--predict '" + kSample + "'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("sample_ankle_boot.pgm: Ankle boot (probability"));
  // five classes, each with a probability; they sum to 1
  const std::regex row(R"(\n  (Sandal|Shirt|Sneaker|Bag|Ankle boot) +([0-9.]+))");
  double sum = 0;
  int rows = 0;
  for (std::sregex_iterator it(r.output.begin(), r.output.end(), row), end; it != end; ++it, ++rows)
    sum += std::stod((*it)[2]);
  CHECK(rows == 5);
  CHECK(sum == Approx(1.0).margin(3e-4));
  // --invert turns a dark-on-light picture round: another input, other probabilities
  const auto inv = run_in(out, "--predict '" + kSample + "' --invert");
  CHECK(inv.status == 0);
  CHECK(inv.output != r.output);
  // the pretrained model classifies into the old classes
  const auto old = run_in(out, "--predict '" + kSample + "' --model '" + (out / "pretrained.npz").string() + "'");
  CHECK(old.status == 0);
  CHECK_THAT(old.output, Catch::Contains("T-shirt/top") && Catch::Contains("Coat"));
}

TEST_CASE("ch16 --predict fails clearly on bad models and pictures", "[ch16][errors]") {
  const fs::path dir = fs::path(DLBOOK_TEST_OUT) / "chapters" / "ch16_inputs";
  fs::create_directories(dir);

  const auto none = testing::run_chapter("ch16_transfer_learning",
                                         "--predict '" + kSample + "' --model '" + (dir / "none.npz").string() + "'", "nomodel");
  CHECK(none.status == 1);
  CHECK_THAT(none.output, Catch::Contains("none.npz") && Catch::Contains("no such model file"));

  dl::Rng rng(1);
  dl::Sequential<float> mlp;
  mlp.add(dl::Linear<float>(784, 5, rng));
  dl::save_model(dir / "mlp.npz", mlp);
  const auto other = testing::run_chapter("ch16_transfer_learning",
                                          "--predict '" + kSample + "' --model '" + (dir / "mlp.npz").string() + "'", "othermodel");
  CHECK(other.status == 1);
  CHECK_THAT(other.output, Catch::Contains("mlp.npz") && Catch::Contains("layer 0") &&
                               Catch::Contains("Linear(784 -> 5)") && Catch::Contains("Conv2D(1 -> 16"));

  dl::write_pgm(dir / "small.pgm", dl::Tensor2<float>(xt::zeros<float>({20, 10})));
  const auto small = testing::run_chapter("ch16_transfer_learning",
                                          "--predict '" + (dir / "small.pgm").string() + "'", "smallpicture");
  CHECK(small.status == 1);
  CHECK_THAT(small.output, Catch::Contains("small.pgm") && Catch::Contains("expected 28 x 28"));

  const auto missing = testing::run_chapter("ch16_transfer_learning",
                                            "--predict '" + (dir / "nothere.pgm").string() + "'", "nopicture");
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, Catch::Contains("nothere.pgm"));

  testing::require_missing_data_error("ch16_transfer_learning");
  testing::require_rejects("ch16_transfer_learning", "--labels-per-class 0", "--labels-per-class");
  testing::require_help_lists("ch16_transfer_learning", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                         "--predict", "--model", "--labels-per-class"});
}

TEST_CASE("ch16 --predict reads a model.json without meta and refuses one of the wrong shape",
          "[ch16][errors]") {
  const fs::path dir = testing::scratch_dir("chapters", "ch16_model_json");
  dl::Rng rng(1);
  dl::Sequential<float> net = dl::small_cnn<float>(rng, 5);
  const nlohmann::json arch = dl::model_architecture(net);
  // model.json as written, but with `meta` (omitted when null) and `architecture` replaced
  auto model = [&](const std::string& name, const nlohmann::json& meta, const nlohmann::json& a) {
    dl::save_model(dir / name, net);
    nlohmann::json j = {{"format", "dlbook-model"}, {"version", 1}, {"architecture", a}};
    if (!meta.is_null()) j["meta"] = meta;
    testing::replace_entry(dir / name, "model.json", j.dump());
    return testing::run_chapter("ch16_transfer_learning",
                                "--predict '" + kSample + "' --model '" + (dir / name).string() + "'", name);
  };
  const auto no_meta = model("nometa.npz", nullptr, arch);  // a crash on a missing key before
  INFO(no_meta.output);
  CHECK(no_meta.status == 0);
  CHECK_THAT(no_meta.output, Catch::Contains("(probability") && Catch::Contains("  4 "));
  struct Bad {
    const char* file;
    nlohmann::json meta, arch;
    const char* field;
  };
  for (const Bad& b : {Bad{"few.npz", {{"classes", {"a", "b"}}}, arch, "classes"},
                       Bad{"numbers.npz", {{"classes", {1, 2, 3, 4, 5}}}, arch, "classes"},
                       Bad{"metalist.npz", {1, 2}, arch, "meta"},
                       Bad{"archtext.npz", nullptr, "Conv2D", "architecture"}}) {
    const auto r = model(b.file, b.meta, b.arch);
    INFO(r.output);
    CHECK(r.status == 1);  // an error message, not a signal or a raw exception
    CHECK_THAT(r.output, Catch::Contains(b.file) && Catch::Contains(b.field) &&
                             !Catch::Contains("unexpected error"));
  }
}

TEST_CASE("ch16 is reproducible: the same seed gives the same figures", "[ch16]") {
  const auto a = testing::quick_metrics("ch16_transfer_learning", "--seed 5");
  const auto b = testing::quick_metrics("ch16_transfer_learning", "--seed 5");
  testing::require_same_values(a, b, {"pretrain_test_accuracy", "frozen_test_accuracy",
                                      "finetune_test_accuracy", "scratch_test_accuracy",
                                      "conv_only_test_accuracy"});
}
