// ch07_fashion_mlp: the quick run learns, reports every figure, and draws every plot;
// --data works with MNIST-layout folders and fails clearly on bad ones.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

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
