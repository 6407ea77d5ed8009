// Hostile checkpoints: a history array whose shape wraps around 64 bits, checkpoint.json
// fields of the wrong type or out of range, a generator state that is not one; and the
// temporary files a run killed while writing a checkpoint leaves behind, which --resume
// removes. Each bad file is a FileError naming the file and the entry or field.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dlcore/io/files.hpp"
#include "dlcore/io/npz.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/train/checkpoint.hpp"
#include "dlcore/train/fit.hpp"
#include "support/crafted.hpp"
#include "support/scratch.hpp"

using namespace dl;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

struct Run {
  Rng rng{21};
  Sequential<float> net;
  Adam<float> opt{0.01f};
  Run() { net.add(Linear<float>(2, 4, rng)).add(ReLU<float>{}).add(Linear<float>(4, 2, rng)); }
};

Dataset<Tensor2<float>> data() {
  Rng rng(4);
  Dataset<Tensor2<float>> d{Tensor2<float>::from_shape({20, 2}), Labels::from_shape({20})};
  for (std::size_t i = 0; i < 20; ++i) {
    d.y(i) = std::int32_t(i % 2);
    d.X(i, 0) = float(rng.normal(double(i % 2), 0.5));
    d.X(i, 1) = float(rng.normal(0, 0.5));
  }
  return d;
}

FitOptions options(const fs::path& file, bool resume) {
  FitOptions o;
  o.epochs = 2;
  o.batch_size = 8;
  o.progress = false;
  o.checkpoint = {file, 0, resume};
  return o;
}

const nlohmann::json kSettings = {{"examples", 20}, {"batch_size", 8}, {"shuffle", true}, {"validation", 0}};

// A checkpoint after two epochs, in its own scratch directory.
fs::path good_checkpoint(const std::string& name) {
  const fs::path file = testing::scratch_dir("checkpoint_input", name) / "ck.npz";
  Run r;
  const auto d = data();
  fit(r.net, SoftmaxCrossEntropy<float>{}, r.opt, d.X, d.y, r.rng, options(file, false));
  return file;
}

FitState load(const fs::path& file) {
  Run r;
  return load_checkpoint(file, r.net, r.opt, kSettings);
}

// The checkpoint with one field of checkpoint.json set to `value`.
fs::path with_field(const std::string& name, const std::string& key, const nlohmann::json& value) {
  const fs::path file = good_checkpoint(name);
  nlohmann::json j = nlohmann::json::parse(read_npz(file)[0].second);
  j[key] = value;
  testing::replace_entry(file, "checkpoint.json", j.dump());
  return file;
}

}  // namespace

TEST_CASE("A history whose shape wraps around 64 bits is refused, not read past", "[checkpoint][errors]") {
  const fs::path file = good_checkpoint("history_wraps");
  REQUIRE_NOTHROW(load(file));
  // 2635249153387078803 x 7 = 2^64 + 5: five doubles of data would match the wrapped count
  testing::replace_entry(file, "history.npy",
                         testing::npy_bytes("{'descr': '<f8', 'fortran_order': False, "
                                            "'shape': (2635249153387078803, 7), }",
                                            testing::doubles(5)));
  REQUIRE_THROWS_AS(load(file), FileError);
  REQUIRE_THROWS_WITH(load(file), Contains("ck.npz") && Contains("history.npy") &&
                                      Contains("2635249153387078803"));
}

TEST_CASE("A history that disagrees with the checkpoint's position is refused", "[checkpoint][errors]") {
  const fs::path file = good_checkpoint("history_rows");
  testing::replace_entry(file, "history.npy",
                         testing::npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 7), }",
                                            testing::doubles(14, NAN)));  // epoch column NaN
  REQUIRE_THROWS_WITH(load(file), Contains("ck.npz") && Contains("history.npy") && Contains("epoch"));
  testing::replace_entry(file, "history.npy",
                         testing::npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (5, 7), }",
                                            testing::doubles(35, 1)));  // 5 epochs at epoch 3
  REQUIRE_THROWS_WITH(load(file), Contains("ck.npz") && Contains("history.npy") && Contains("5 epochs"));
}

TEST_CASE("checkpoint.json fields of the wrong type or range name the field", "[checkpoint][errors]") {
  struct Case {
    const char* key;
    nlohmann::json value;
  };
  const std::vector<Case> cases = {
      {"epoch", 1e300},       {"epoch", -1},          {"epoch", "3"},   {"epoch", 0},
      {"global_step", 2.5},   {"batch", 1000},        {"hits", nullptr}, {"stopped", 1},
      {"optimizer_steps", -7}, {"rng", 42},           {"rng", "not a generator"},
      {"order_rng", "1 2 3"},
  };
  for (const auto& c : cases) {
    INFO(c.key << " = " << c.value.dump());
    const fs::path file = with_field("fields", c.key, c.value);
    REQUIRE_THROWS_AS(load(file), FileError);
    REQUIRE_THROWS_WITH(load(file), Contains("ck.npz") && Contains(std::string("\"") + c.key + "\""));
  }
}

TEST_CASE("A checkpoint.json that is not an object is not a checkpoint", "[checkpoint][errors]") {
  const fs::path file = good_checkpoint("not_object");
  for (const char* json : {"[1, 2]", "7", "\"text\"", "null"}) {
    INFO(json);
    testing::replace_entry(file, "checkpoint.json", json);
    REQUIRE_THROWS_AS(load(file), FileError);
    REQUIRE_THROWS_WITH(load(file), Contains("ck.npz") && Contains("not a checkpoint"));
  }
}

TEST_CASE("Resuming removes the temporaries of a checkpoint write that was killed", "[checkpoint][files]") {
  const fs::path file = good_checkpoint("stale");
  const fs::path dir = file.parent_path();
  for (const char* name : {"ck.npz.tmp999999", "ck.npz.tmp12", "ck.npz.tmpX1", "other.npz.tmp12", "ck.npz.tmp"})
    std::ofstream(dir / name) << "half a checkpoint";
  // a writer still at work holds the lock on its temporary: that one stays
  const int live = ::open((dir / "ck.npz.tmp77").c_str(), O_WRONLY | O_CREAT, 0644);
  REQUIRE(live >= 0);
  REQUIRE(::flock(live, LOCK_EX) == 0);

  Run r;
  const auto d = data();
  FitOptions o = options(file, true);
  o.epochs = 3;
  fit(r.net, SoftmaxCrossEntropy<float>{}, r.opt, d.X, d.y, r.rng, o);
  CHECK_FALSE(fs::exists(dir / "ck.npz.tmp999999"));
  CHECK_FALSE(fs::exists(dir / "ck.npz.tmp12"));
  CHECK(fs::exists(dir / "ck.npz.tmp77"));     // locked: a live writer's
  CHECK(fs::exists(dir / "ck.npz.tmpX1"));     // not a name write_file_atomic makes
  CHECK(fs::exists(dir / "other.npz.tmp12"));  // another file's
  CHECK(fs::exists(dir / "ck.npz.tmp"));
  CHECK(load(file).epoch == 4);  // and the run went on from the checkpoint
  ::close(live);
  CHECK(remove_stale_temporaries(file) == std::vector<fs::path>{dir / "ck.npz.tmp77"});
}

TEST_CASE("fit refuses an empty training set", "[fit][errors]") {
  Run r;
  const Tensor2<float> X = Tensor2<float>::from_shape({0, 2});
  const Labels y = Labels::from_shape({0});
  FitOptions o;
  o.progress = false;
  REQUIRE_THROWS_AS(fit(r.net, SoftmaxCrossEntropy<float>{}, r.opt, X, y, r.rng, o), ValueError);
  REQUIRE_THROWS_WITH(fit(r.net, SoftmaxCrossEntropy<float>{}, r.opt, X, y, r.rng, o), Contains("empty"));
}
