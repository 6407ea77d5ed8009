// The named networks of the source articles, for 224x224x3 input: their parameter counts
// against the published ones (torchvision's), their multiply-adds against PyTorch's layers
// (tools/named_networks.py), counted from shapes: no forward pass of the big networks here.
#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/bottleneck.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"
#include "dlcore/models/cnns.hpp"
#include "dlcore/models/cost.hpp"
#include "dlcore/models/imagenet.hpp"

using namespace dl;

namespace {
const std::vector<std::size_t> kImage = {3, 224, 224};

struct Unknown {  // a layer count_cost has never heard of
  struct Cache {};
  Tensor2<float> forward(const Tensor2<float>& x, Cache&) const { return x; }
  Tensor2<float> backward(const Tensor2<float>& g, const Cache&) { return g; }
  std::string describe() const { return "Unknown"; }
};

void check_named(Sequential<float> net, std::size_t params, std::size_t madds) {
  CHECK(net.num_params() == params);
  const NetCost c = count_cost(net, kImage);
  CHECK(c.params == params);
  CHECK(c.madds == madds);
  CHECK(c.layers.back().out_shape == std::vector<std::size_t>{1000});
}
}  // namespace

TEST_CASE("VGG-16 has its published 138,357,544 parameters and 15.47 G multiply-adds", "[models]") {
  Rng rng(1);
  check_named(vgg16<float>(rng), 138357544, 15470264320);
}

TEST_CASE("ResNet-50 (bottleneck, 3-4-6-3, projections) has 25,557,032 parameters", "[models]") {
  Rng rng(2);
  Sequential<float> net = resnet50<float>(rng);
  std::size_t blocks = 0, projections = 0;
  for (std::size_t i = 0; i < net.size(); ++i)
    if (auto* m = dynamic_cast<LayerModule<float, Bottleneck<float>>*>(&net.module(i)))
      ++blocks, projections += m->layer.projection;
  CHECK(blocks == 16);      // 3 + 4 + 6 + 3: with the stem and the classifier, 50 weight layers
  CHECK(projections == 4);  // one per stage
  const NetCost c = count_cost(net, kImage);
  CHECK(c.layers[3].out_shape == std::vector<std::size_t>{64, 56, 56});   // after the stem
  CHECK(c.layers[19].out_shape == std::vector<std::size_t>{2048, 7, 7});  // after the last block
  check_named(std::move(net), 25557032, 4089184256);
}

TEST_CASE("torchvision's AlexNet has 61,100,840 parameters", "[models]") {
  Rng rng(3);
  Sequential<float> net = alexnet<float>(rng);
  const NetCost c = count_cost(net, kImage);
  CHECK(c.layers[0].out_shape == std::vector<std::size_t>{64, 55, 55});
  CHECK(c.layers[2].out_shape == std::vector<std::size_t>{64, 27, 27});  // overlapping 3x3 pooling
  check_named(std::move(net), 61100840, 714188480);
}

TEST_CASE("count_cost follows the shapes forward() produces and counts multiply-adds by hand", "[models]") {
  Rng rng(4);
  Sequential<float> net = lenet5<float>(rng);
  const NetCost c = count_cost(net, {1, 28, 28});
  CHECK(c.params == 44426);
  // conv1 6 * 24^2 * 25, conv2 16 * 8^2 * 150, dense 256*120 + 120*84 + 84*10
  CHECK(c.madds == 6 * 576 * 25 + 16 * 64 * 150 + 256 * 120 + 120 * 84 + 84 * 10);
  AnyTensor<float> x = Tensor4<float>(xt::zeros<float>({2, 1, 28, 28}));
  for (std::size_t i = 0; i < net.size(); ++i) {
    x = net.module(i).forward(x, Context{Mode::eval, nullptr});
    std::vector<std::size_t> per_image = shape_of_any(x);
    per_image.erase(per_image.begin());
    INFO("layer " << i << ": " << c.layers[i].layer);
    CHECK(c.layers[i].out_shape == per_image);
  }
}

TEST_CASE("count_cost names what it cannot count and shapes that do not fit", "[models][errors]") {
  Rng rng(5);
  Sequential<float> net;
  net.add(Conv2D<float>(3, 8, 3, rng)).add(Flatten<float>{}).add(Linear<float>(100, 10, rng));
  REQUIRE_THROWS_WITH(count_cost(net, {3, 12, 12}), Catch::Contains("Linear") && Catch::Contains("(800,)"));
  REQUIRE_THROWS_WITH(count_cost(net, {1, 12, 12}), Catch::Contains("Conv2D(3 -> 8"));
  REQUIRE_THROWS_AS(count_cost(net, {3, 2, 2}), ShapeError);
  Sequential<float> other;
  other.add(Unknown{});
  REQUIRE_THROWS_WITH(count_cost(other, {2}), Catch::Contains("count_cost") && Catch::Contains("Unknown"));
}
