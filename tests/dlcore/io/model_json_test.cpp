// A model file's model.json as a hostile reader may write it: no "meta", a "meta",
// "architecture" or "classes" of the wrong JSON type or length, nesting without end. Each
// is a FileError naming the file and the field (never a crash on a missing key, a raw
// nlohmann type_error or vector::_M_range_check).
#include <catch2/catch.hpp>

#include <filesystem>

#include "dlcore/io/params.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "support/crafted.hpp"
#include "support/scratch.hpp"

using namespace dl;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {
Sequential<float> mlp() {
  Rng rng(3);
  Sequential<float> net;
  net.add(Linear<float>(4, 3, rng)).add(ReLU<float>{}).add(Linear<float>(3, 2, rng));
  return net;
}
// A model file of mlp() whose model.json is `json`, in a directory of its own (the test
// cases run in parallel).
fs::path model_with(const std::string& name, const std::string& json) {
  const fs::path p = testing::scratch_dir("io", "model_json_" + name) / name;
  Sequential<float> net = mlp();
  save_model(p, net, {{"classes", {"cat", "dog"}}});
  testing::replace_entry(p, "model.json", json);
  return p;
}
const std::string kArch = R"j("architecture": ["Linear(4 -> 3)", "ReLU", "Linear(3 -> 2)"])j";
}  // namespace

TEST_CASE("A model file without meta loads, and its classes are numbered", "[params][model]") {
  const fs::path p = model_with("nometa.npz", "{" + kArch + "}");
  Sequential<float> net = mlp();
  const nlohmann::json info = load_model(p, net);
  CHECK(model_class_names(info, 2, p) == std::vector<std::string>{"0", "1"});
  const fs::path named = model_with("named.npz", "{" + kArch + R"j(, "meta": {"classes": ["cat", "dog"]}})j");
  CHECK(model_class_names(load_model(named, net), 2, named) == std::vector<std::string>{"cat", "dog"});
}

TEST_CASE("A model.json field of the wrong type names the file and the field", "[params][model][errors]") {
  Sequential<float> net = mlp();
  struct Case {
    const char* file;
    std::string json;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"arch_number.npz", R"j({"architecture": 7})j", "architecture"},
      {"arch_object.npz", R"j({"architecture": {"a": 1}})j", "architecture"},
      {"arch_entry.npz", R"j({"architecture": ["Linear(4 -> 3)", 5, "Linear(3 -> 2)"]})j", "architecture"},
      {"meta_list.npz", "{" + kArch + R"j(, "meta": [1, 2]})j", "meta"},
      {"meta_text.npz", "{" + kArch + R"j(, "meta": "classes"})j", "meta"},
      {"top_list.npz", "[1, 2, 3]", "model.json"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    const fs::path p = model_with(c.file, c.json);
    REQUIRE_THROWS_AS(load_model(p, net), FileError);
    REQUIRE_THROWS_WITH(load_model(p, net), Contains(c.file) && Contains(c.field));
  }
}

TEST_CASE("Class names of the wrong type or number name the file and the field", "[params][model][errors]") {
  Sequential<float> net = mlp();
  for (const std::string classes : {R"j("cat")j", R"j(["cat"])j", R"j(["cat", 2])j", R"j({"0": "cat"})j"}) {
    INFO(classes);
    const fs::path p = model_with("classes.npz", "{" + kArch + R"j(, "meta": {"classes": )j" + classes + "}}");
    const nlohmann::json info = load_model(p, net);
    REQUIRE_THROWS_AS(model_class_names(info, 2, p), FileError);
    REQUIRE_THROWS_WITH(model_class_names(info, 2, p), Contains("classes.npz") && Contains("classes"));
  }
}

TEST_CASE("JSON nested without end is refused before anything recurses over it", "[params][model][errors]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const fs::path p = model_with("deep.npz", "{" + kArch + R"j(, "meta": {"x": )j" + deep + "}}");
  Sequential<float> net = mlp();
  REQUIRE_THROWS_WITH(load_model(p, net), Contains("deep.npz") && Contains("nested deeper than 64"));
}
