// Whole-network save/load of a convolutional network: a round trip restores identical
// outputs (parameters and BatchNorm buffers), and another architecture is refused with a
// message naming the layer and both shapes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "dlcore/io/params.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"
#include "support/scratch.hpp"

using namespace dl;
namespace fs = std::filesystem;

namespace {
// (N, 1, 12, 12) -> Conv 4 3x3 pad 1 -> BN -> ReLU -> MaxPool 2 -> Conv 8 3x3 -> ReLU
// -> Flatten (8*4*4 = 128) -> Linear(128 -> classes)
Sequential<float> small_cnn(std::uint64_t seed, std::size_t c2 = 8, std::size_t classes = 3) {
  Rng rng(seed);
  Sequential<float> net;
  net.add(Conv2D<float>(1, 4, 3, rng, 1, 1))
      .add(BatchNorm2d<float>(4))
      .add(ReLU<float>{})
      .add(MaxPool2D<float>(2))
      .add(Conv2D<float>(4, c2, 3, rng))
      .add(ReLU<float>{})
      .add(Flatten<float>{})
      .add(Linear<float>(c2 * 16, classes, rng));
  return net;
}
Tensor4<float> images(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  Tensor4<float> x = Tensor4<float>::from_shape({n, 1, 12, 12});
  for (auto& v : x) v = float(rng.uniform());
  return x;
}
}  // namespace

TEST_CASE("A CNN saved and loaded gives identical outputs", "[params][model]") {
  const fs::path d = testing::scratch_dir("io", "model_cnn");
  Sequential<float> a = small_cnn(1);
  // a training-mode pass moves the BatchNorm running statistics away from (0, 1)
  Rng rng(5);
  a.forward(images(16, 2), Context{Mode::train, &rng});
  const Tensor4<float> x = images(6, 3);
  const Tensor2<float> ya = a.forward2(x, Context{Mode::eval, nullptr});
  save_model(d / "cnn.npz", a, {{"classes", {"a", "b", "c"}}});

  Sequential<float> b = small_cnn(99);  // other random weights, same architecture
  const Tensor2<float> before = b.forward2(x, Context{Mode::eval, nullptr});
  CHECK(!(before == ya));
  const auto model = load_model(d / "cnn.npz", b);
  const Tensor2<float> yb = b.forward2(x, Context{Mode::eval, nullptr});
  CHECK((yb == ya));  // bit for bit
  CHECK((b.layer<BatchNorm2d<float>>(1).running_mean == a.layer<BatchNorm2d<float>>(1).running_mean));
  CHECK(model["meta"]["classes"][2] == "c");
  CHECK(model["architecture"][0] == "Conv2D(1 -> 4, 3x3, stride 1, pad 1)");

  // a model of doubles reads the same file (values converted)
  Rng rd(7);
  Sequential<double> dnet;
  dnet.add(Conv2D<double>(1, 4, 3, rd, 1, 1)).add(BatchNorm2d<double>(4)).add(ReLU<double>{})
      .add(MaxPool2D<double>(2)).add(Conv2D<double>(4, 8, 3, rd)).add(ReLU<double>{})
      .add(Flatten<double>{}).add(Linear<double>(128, 3, rd));
  load_model(d / "cnn.npz", dnet);
  CHECK(dnet.layer<Conv2D<double>>(4).W(1, 2, 0, 1) == double(a.layer<Conv2D<float>>(4).W(1, 2, 0, 1)));
}

TEST_CASE("Loading a CNN into another architecture names the layer and both shapes", "[params][model][errors]") {
  const fs::path d = testing::scratch_dir("io", "model_cnn_arch");
  Sequential<float> a = small_cnn(1);
  save_model(d / "cnn.npz", a);

  Sequential<float> wider = small_cnn(1, 16);  // second convolution 4 -> 16 channels
  REQUIRE_THROWS_AS(load_model(d / "cnn.npz", wider), ShapeError);
  REQUIRE_THROWS_WITH(load_model(d / "cnn.npz", wider),
                      Catch::Contains("cnn.npz") && Catch::Contains("layer 4") &&
                          Catch::Contains("Conv2D(4 -> 8, 3x3") && Catch::Contains("Conv2D(4 -> 16, 3x3"));

  Sequential<float> more_classes = small_cnn(1, 8, 5);
  REQUIRE_THROWS_WITH(load_model(d / "cnn.npz", more_classes),
                      Catch::Contains("layer 7") && Catch::Contains("Linear(128 -> 3)") &&
                          Catch::Contains("Linear(128 -> 5)"));

  Rng rng(2);
  Sequential<float> mlp;  // a different kind of network altogether
  mlp.add(Linear<float>(144, 10, rng));
  REQUIRE_THROWS_WITH(load_model(d / "cnn.npz", mlp),
                      Catch::Contains("layer 0") && Catch::Contains("Conv2D(1 -> 4") &&
                          Catch::Contains("Linear(144 -> 10)"));

  // a shorter network: the missing layers are named too
  Sequential<float> shorter = small_cnn(1);
  Sequential<float> head_only;
  head_only.add(Conv2D<float>(1, 4, 3, rng, 1, 1));
  REQUIRE_THROWS_WITH(load_model(d / "cnn.npz", head_only),
                      Catch::Contains("layer 1") && Catch::Contains("BatchNorm2d(4)") &&
                          Catch::Contains("(nothing)"));

  // the failed loads left the networks' weights untouched
  const Tensor4<float> w0 = small_cnn(1, 16).layer<Conv2D<float>>(0).W;
  CHECK((wider.layer<Conv2D<float>>(0).W == w0));
}

TEST_CASE("load_params can fill the first layers of a network from a whole-model file", "[params][model]") {
  // transfer learning (Chapter 16): the body of a saved network, a new head
  const fs::path d = testing::scratch_dir("io", "model_body");
  Sequential<float> a = small_cnn(1);
  save_model(d / "cnn.npz", a);
  Rng rng(4);
  Sequential<float> body;
  body.add(Conv2D<float>(1, 4, 3, rng, 1, 1)).add(BatchNorm2d<float>(4));
  auto tensors = body.params();
  for (auto& t : body.buffers()) tensors.push_back(t);
  load_params(d / "cnn.npz", tensors);
  CHECK((body.layer<Conv2D<float>>(0).W == a.layer<Conv2D<float>>(0).W));
  CHECK((body.layer<BatchNorm2d<float>>(1).gamma == a.layer<BatchNorm2d<float>>(1).gamma));
}
