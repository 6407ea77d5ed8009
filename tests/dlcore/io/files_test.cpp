#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "dlcore/io/files.hpp"
#include "dlcore/io/npy.hpp"
#include "dlcore/io/npz.hpp"
#include "dlcore/io/params.hpp"
#include "dlcore/io/plot.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "support/scratch.hpp"

using namespace dl;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) { return testing::scratch_dir("io", name); }
void write_bytes(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}
Sequential<float> small_net(std::uint64_t seed) {
  Rng rng(seed);
  Sequential<float> net;
  net.add(Linear<float>(4, 3, rng)).add(ReLU<float>{}).add(Linear<float>(3, 2, rng));
  return net;
}
}  // namespace

TEST_CASE(".npy round trip, and the file NumPy would read", "[npy]") {
  const fs::path d = scratch("npy");
  const Tensor2<float> a = {{1.5f, -2}, {3, 4}};
  save_npy(d / "a.npy", a);
  const auto b = load_npy<float, 2>(d / "a.npy");
  CHECK((b == a));
  const std::string bytes = read_file(d / "a.npy");
  CHECK(bytes.substr(1, 5) == "NUMPY");
  CHECK(bytes.size() % 16 == 0);  // header padded to 64: 128 + 16 bytes of data
  CHECK(bytes.find("'shape': (2, 2)") != std::string::npos);
  const auto as_double = load_npy<double, 2>(d / "a.npy");
  CHECK(as_double(0, 0) == 1.5);
}

TEST_CASE(".npy errors name the file", "[npy][errors]") {
  const fs::path d = scratch("npy_errors");
  write_bytes(d / "bad.npy", "not numpy at all");
  REQUIRE_THROWS_WITH((load_npy<float, 2>(d / "bad.npy")),
                      Catch::Contains("bad.npy") && Catch::Contains("magic"));
  save_npy(d / "t.npy", Tensor2<float>(xt::ones<float>({10, 10})));
  std::string s = read_file(d / "t.npy");
  write_bytes(d / "t.npy", s.substr(0, s.size() - 7));
  REQUIRE_THROWS_WITH((load_npy<float, 2>(d / "t.npy")), Catch::Contains("t.npy") && Catch::Contains("truncated"));
  REQUIRE_THROWS_WITH((load_npy<float, 2>(d / "missing.npy")), Catch::Contains("missing.npy"));
  save_npy(d / "v.npy", Tensor1<float>(xt::ones<float>({3})));
  REQUIRE_THROWS_WITH((load_npy<float, 2>(d / "v.npy")), Catch::Contains("2-d"));
}

TEST_CASE("Parameters save and load through .npz", "[params]") {
  const fs::path d = scratch("params");
  Sequential<float> a = small_net(1), b = small_net(2);
  save_model(d / "m.npz", a, {{"epochs", 3}});
  const auto meta = load_model(d / "m.npz", b);
  CHECK(meta["meta"]["epochs"] == 3);
  CHECK((b.layer<Linear<float>>(0).W == a.layer<Linear<float>>(0).W));
  CHECK((b.layer<Linear<float>>(2).b == a.layer<Linear<float>>(2).b));
  // the same bytes every time (fixed ZIP dates)
  save_model(d / "m2.npz", a, {{"epochs", 3}});
  CHECK(read_file(d / "m.npz") == read_file(d / "m2.npz"));
  // and the parameter entries are plain .npy
  const NpzEntries entries = read_npz(d / "m.npz");
  CHECK(entries[0].first == "model.json");
  CHECK(entries[1].first == "0.W.npy");
}

TEST_CASE("Loading a model of another architecture names the layer", "[params][errors]") {
  const fs::path d = scratch("arch");
  Sequential<float> a = small_net(1);
  save_model(d / "m.npz", a);
  Rng rng(3);
  Sequential<float> other;
  other.add(Linear<float>(4, 5, rng)).add(ReLU<float>{}).add(Linear<float>(5, 2, rng));
  REQUIRE_THROWS_WITH(load_model(d / "m.npz", other),
                      Catch::Contains("layer 0") && Catch::Contains("Linear(4 -> 3)") &&
                          Catch::Contains("Linear(4 -> 5)"));
  // load_params checks shapes directly
  REQUIRE_THROWS_WITH(load_params(d / "m.npz", other.params()),
                      Catch::Contains("0.W") && Catch::Contains("(4, 3)") && Catch::Contains("(4, 5)"));
}

TEST_CASE("Corrupt and truncated parameter files give clear errors", "[params][errors]") {
  const fs::path d = scratch("corrupt");
  Sequential<float> a = small_net(1);
  save_model(d / "m.npz", a);
  const std::string good = read_file(d / "m.npz");
  SECTION("truncated") {
    write_bytes(d / "t.npz", good.substr(0, good.size() / 2));
    REQUIRE_THROWS_WITH(load_model(d / "t.npz", a), Catch::Contains("t.npz") && Catch::Contains("truncated"));
  }
  SECTION("a flipped byte in a parameter") {
    std::string bad = good;
    bad[good.find("0.W.npy") + 7 + 140] ^= 0x55;  // inside the data of 0.W
    write_bytes(d / "c.npz", bad);
    REQUIRE_THROWS_WITH(load_model(d / "c.npz", a), Catch::Contains("c.npz") && Catch::Contains("CRC"));
  }
  SECTION("not an archive") {
    write_bytes(d / "x.npz", std::string(100, 'x'));
    REQUIRE_THROWS_WITH(load_model(d / "x.npz", a), Catch::Contains("x.npz"));
  }
  SECTION("missing") {
    REQUIRE_THROWS_WITH(load_model(d / "none.npz", a), Catch::Contains("none.npz") && Catch::Contains("no such file"));
  }
}

TEST_CASE("Atomic writes leave no temporary files and replace the target", "[files]") {
  const fs::path d = scratch("atomic");
  write_file_atomic(d / "f.txt", "one");
  write_file_atomic(d / "f.txt", "two");
  CHECK(read_file(d / "f.txt") == "two");
  std::size_t files = 0;
  for (auto& e : fs::directory_iterator(d)) files += e.is_regular_file();
  CHECK(files == 1);
  write_json(d / "m.json", {{"test_accuracy", 0.5}});
  CHECK(read_json(d / "m.json")["test_accuracy"] == 0.5);
  write_bytes(d / "bad.json", "{oops");
  REQUIRE_THROWS_WITH(read_json(d / "bad.json"), Catch::Contains("bad.json"));
}

TEST_CASE("Plots write their CSV and, with gnuplot, an SVG", "[plot]") {
  const fs::path d = scratch("plot");
  plot::Figure f("loss", "epoch", "loss");
  f.line("train", {1, 2, 3}, {1.0, 0.5, 0.25}).points("val", {1, 2}, {0.9, 0.6});
  const bool drawn = f.save(d / "loss.svg");
  const std::string csv = read_file(d / "loss.csv");
  CHECK(csv.find("series,x,y") == 0);
  CHECK(csv.find("val,2,0.6") != std::string::npos);
  if (drawn) CHECK(read_file(d / "loss.svg").find("<svg") != std::string::npos);
  REQUIRE_THROWS_AS(f.line("bad", {1, 2}, {1}), ShapeError);
}
