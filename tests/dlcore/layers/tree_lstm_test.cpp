#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/tree_lstm.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::random_like;
using testing::random_tensor;

namespace {

// A tree from children lists (node indices, children before parent, root last).
Tree make_tree(const std::vector<std::vector<std::size_t>>& children) {
  Tree t;
  for (const auto& ch : children) {
    Tree::Node node;
    node.children = ch;
    node.token = ch.empty() ? 0 : -1;
    t.nodes.push_back(node);
  }
  return t;
}

// The shapes of the tests (the same as tools/golden/tree_lstm.py's).
const Tree kSingle = make_tree({{}});                                                    // 1 node
const Tree kPair = make_tree({{}, {}, {0, 1}});                                          // 3: (a b)
const Tree kUnaryChain = make_tree({{}, {0}, {1}});                                      // 3: unary, unary
const Tree kLeftChain5 = make_tree({{}, {}, {0, 1}, {}, {2, 3}});                        // 5: ((a b) c)
const Tree kRightChain5 = make_tree({{}, {}, {}, {1, 2}, {0, 3}});                       // 5: (a (b c))
const Tree kWide = make_tree({{}, {}, {}, {0, 1, 2}, {}, {4}, {}, {}, {3, 5, 6, 7}});   // 9: 3 and 4 children
const Tree kUnary9 = make_tree({{}, {0}, {}, {1, 2}, {}, {}, {4, 5}, {6}, {3, 7}});     // 9: binary, unary nodes
const Tree kLeftChain7 = make_tree({{}, {}, {0, 1}, {}, {2, 3}, {}, {4, 5}});
const Tree kRightChain7 = make_tree({{}, {}, {}, {}, {2, 3}, {1, 4}, {0, 5}});
const Tree kBalanced7 = make_tree({{}, {}, {0, 1}, {}, {}, {3, 4}, {2, 5}});

std::size_t count_leaves(const std::vector<const Tree*>& trees) {
  std::size_t n = 0;
  for (const Tree* t : trees)
    for (std::size_t i = 0; i < t->size(); ++i) n += t->is_leaf(i);
  return n;
}
std::size_t count_nodes(const std::vector<const Tree*>& trees) {
  std::size_t n = 0;
  for (const Tree* t : trees) n += t->size();
  return n;
}

// Rows of X the layer takes for these trees.
template <class Layer>
std::size_t input_rows(const Layer& layer, const std::vector<const Tree*>& trees) {
  return layer.inputs == TreeInputs::every_node ? count_nodes(trees) : count_leaves(trees);
}

// Central differences of L = sum(R * h) against backward(R): dX and every parameter.
template <class Layer>
void check_tree_layer(Layer& layer, const std::vector<const Tree*>& trees, std::uint64_t seed) {
  Tensor2<double> x = random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{input_rows(layer, trees), layer.d_in()}, seed);
  typename Layer::Cache cache;
  const Tensor2<double> h = layer.forward(trees, x, cache);
  REQUIRE(h.shape(0) == count_nodes(trees));
  const Tensor2<double> R = random_like(h, seed + 1);
  zero_grad(layer.params());
  const Tensor2<double> dx = layer.backward(R, cache);
  auto objective = [&] {
    typename Layer::Cache c;
    const Tensor2<double> hh = layer.forward(trees, x, c);
    double s = 0;
    for (std::size_t i = 0; i < hh.size(); ++i) s += R.data()[i] * hh.data()[i];
    return s;
  };
  REQUIRE(dx.shape() == x.shape());
  testing::require_gradient("dX", x.data(), dx.data(), x.size(), objective);
  for (const auto& p : layer.params())
    testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
}

// Trees from a golden case's parent array (node order within the concatenated trees).
std::vector<Tree> golden_trees(const std::string& name) {
  const auto parent = testing::golden<std::int64_t, 1>(name, "parent");
  const auto sizes = testing::golden<std::int64_t, 1>(name, "sizes");
  std::vector<Tree> trees;
  std::size_t offset = 0;
  for (auto size : sizes) {
    std::vector<std::vector<std::size_t>> children(static_cast<std::size_t>(size));
    for (std::size_t q = offset; q < offset + std::size_t(size); ++q)
      if (parent(q) >= 0) children[std::size_t(parent(q)) - offset].push_back(q - offset);
    trees.push_back(make_tree(children));
    offset += std::size_t(size);
  }
  return trees;
}

// Forward and backward against the plain PyTorch Tree-LSTM: h of every node, dX, dW, dU, db.
template <class T, class Layer>
void require_golden_tree_lstm(const std::string& name, TreeInputs inputs, double rtol, double atol) {
  using testing::golden;
  using testing::require_close;
  const std::vector<Tree> trees = golden_trees(name);
  std::vector<const Tree*> batch;
  for (const auto& t : trees) batch.push_back(&t);
  Layer layer;
  layer.inputs = inputs;
  layer.W = golden<T, 2>(name, "W");
  layer.U = golden<T, 2>(name, "U");
  layer.b = golden<T, 1>(name, "b");
  layer.dW = xt::zeros_like(layer.W);
  layer.dU = xt::zeros_like(layer.U);
  layer.db = xt::zeros_like(layer.b);
  typename Layer::Cache cache;
  const auto h = layer.forward(batch, golden<T, 2>(name, "x"), cache);
  require_close("h", h, golden<T, 2>(name, "h"), rtol, atol);
  const auto dx = layer.backward(golden<T, 2>(name, "dh"), cache);
  require_close("dX", dx, golden<T, 2>(name, "dx"), rtol, atol);
  require_close("dW", layer.dW, golden<T, 2>(name, "dW"), rtol, atol);
  require_close("dU", layer.dU, golden<T, 2>(name, "dU"), rtol, atol);
  require_close("db", layer.db, golden<T, 1>(name, "db"), rtol, atol);
}

// Level-batched over the whole batch == each tree alone: h, dX and the summed parameter
// gradients, to 1e-12.
template <class Layer>
void require_batched_equals_per_tree(Layer& layer, const std::vector<const Tree*>& trees) {
  const Tensor2<double> x = random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{input_rows(layer, trees), layer.d_in()}, 31);
  typename Layer::Cache cache;
  const Tensor2<double> h = layer.forward(trees, x, cache);
  const Tensor2<double> R = random_like(h, 32);
  zero_grad(layer.params());
  const Tensor2<double> dx = layer.backward(R, cache);
  auto grad_of = [](const ParamRef<double>& p) {  // a copy of p's gradient, flat
    Tensor1<double> g = Tensor1<double>::from_shape({p.size()});
    std::copy(p.grad, p.grad + p.size(), g.data());
    return g;
  };
  std::vector<Tensor1<double>> batched_grads;
  for (const auto& p : layer.params()) batched_grads.push_back(grad_of(p));
  Tensor2<double> h1 = xt::zeros_like(h), dx1 = xt::zeros_like(dx);
  zero_grad(layer.params());
  std::size_t row = 0, xrow = 0;
  for (const Tree* t : trees) {  // one tree at a time through the same layer
    const std::vector<const Tree*> one{t};
    const std::size_t nx = input_rows(layer, one), D = layer.d_in(), H = layer.hidden();
    Tensor2<double> xt_ = xt::view(x, xt::range(xrow, xrow + nx), xt::all());
    typename Layer::Cache c;
    const Tensor2<double> ht = layer.forward(one, xt_, c);
    std::copy(ht.begin(), ht.end(), h1.data() + row * H);
    Tensor2<double> Rt = xt::view(R, xt::range(row, row + t->size()), xt::all());
    const Tensor2<double> dxt = layer.backward(Rt, c);  // parameter gradients accumulate
    std::copy(dxt.begin(), dxt.end(), dx1.data() + xrow * D);
    row += t->size();
    xrow += nx;
  }
  testing::require_close("h", h, h1, 0, 1e-12);
  testing::require_close("dX", dx, dx1, 0, 1e-12);
  const auto ps = layer.params();
  for (std::size_t k = 0; k < ps.size(); ++k)
    testing::require_close("d" + ps[k].name, batched_grads[k], grad_of(ps[k]), 0, 1e-12);
}

}  // namespace

TEST_CASE("The level schedule: heights, node order, children", "[tree_lstm]") {
  const TreeBatch b = make_tree_batch({&kRightChain5, &kSingle, &kPair}, "test");
  CHECK(b.trees() == 3);
  CHECK(b.nodes() == 9);
  CHECK(b.tree_begin == std::vector<std::size_t>{0, 5, 6, 9});
  CHECK(b.levels() == 3);
  CHECK(b.level_begin == std::vector<std::size_t>{0, 6, 8, 9});
  // level 0: the leaves in node order (rows 0 1 2 | 5 | 6 7), then (b c) and (a b) of the pair, then the root
  CHECK(b.row == std::vector<std::size_t>{0, 1, 2, 5, 6, 7, 3, 8, 4});
  CHECK(b.child == std::vector<std::size_t>{1, 2, 4, 5, 0, 6});
  CHECK(b.child_begin == std::vector<std::size_t>{0, 0, 0, 0, 0, 0, 0, 2, 4, 6});
  CHECK(b.max_children == 2);
  CHECK(b.tree == std::vector<std::size_t>{0, 0, 0, 1, 2, 2, 0, 2, 0});
  CHECK(level_part(b, 0, 1, 3) == std::pair<std::size_t, std::size_t>{3, 6});
  CHECK(level_part(b, 1, 1, 2) == std::pair<std::size_t, std::size_t>{7, 7});  // tree 1 has no level 1
  CHECK(level_part(b, 2, 0, 3) == std::pair<std::size_t, std::size_t>{8, 9});
  CHECK(tree_parts(b, 2) == std::vector<std::size_t>{0, 1, 3});  // 5 nodes | 1 + 3 nodes
  CHECK(tree_parts(b, 1) == std::vector<std::size_t>{0, 3});
  CHECK(tree_parts(b, 5) == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK_THROWS_WITH(make_tree_batch({&kWide}, "BinaryTreeLSTM(3 -> 4)", 2),
                    Catch::Contains("BinaryTreeLSTM(3 -> 4)") && Catch::Contains("3 children"));
  CHECK_THROWS_AS(make_tree_batch({}, "test"), ValueError);
}

TEST_CASE("Child-Sum Tree-LSTM forward by hand: a leaf and a parent of two, one unit", "[tree_lstm]") {
  Rng rng(1);
  ChildSumTreeLSTM<double> cell(1, 1, rng);
  cell.W = {{1.0}, {2.0}, {3.0}, {4.0}};  // i, o, u, f
  cell.U = {{0.5}, {-0.5}, {0.25}, {-1.0}};
  cell.b = {0.1, 0.2, 0.3, 0.4};
  ChildSumTreeLSTM<double>::Cache cache;
  const Tensor2<double> x = {{0.5}, {-1.0}, {2.0}};
  const Tensor2<double> h = cell.forward({&kPair}, x, cache);
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  auto leaf = [&](double xv, double& c) {
    c = sig(xv + 0.1) * std::tanh(3 * xv + 0.3);
    return sig(2 * xv + 0.2) * std::tanh(c);
  };
  double c0, c1;
  const double h0 = leaf(0.5, c0), h1 = leaf(-1.0, c1), hs = h0 + h1;
  const double i = sig(2.0 + 0.5 * hs + 0.1), o = sig(4.0 - 0.5 * hs + 0.2),
               u = std::tanh(6.0 + 0.25 * hs + 0.3);
  const double f0 = sig(8.0 - h0 + 0.4), f1 = sig(8.0 - h1 + 0.4);
  const double c = i * u + f0 * c0 + f1 * c1;
  CHECK(h(0, 0) == Approx(h0).epsilon(1e-14));
  CHECK(h(1, 0) == Approx(h1).epsilon(1e-14));
  CHECK(h(2, 0) == Approx(o * std::tanh(c)).epsilon(1e-14));
}

TEST_CASE("Binary Tree-LSTM forward by hand: leaves only have inputs, a unary node's child is its left", "[tree_lstm]") {
  Rng rng(1);
  BinaryTreeLSTM<double> cell(1, 1, rng);
  cell.W = {{1.0}, {2.0}, {3.0}, {4.0}, {5.0}};  // i, o, u, f_1, f_2
  cell.U = {{0.5, 0.1}, {-0.5, 0.2}, {0.25, 0.3}, {-1.0, 0.4}, {1.0, 0.5}};
  cell.b = {0.1, 0.2, 0.3, 0.4, 0.5};
  BinaryTreeLSTM<double>::Cache cache;
  const Tensor2<double> x = {{0.5}};  // one leaf
  const Tensor2<double> h = cell.forward({&kUnaryChain}, x, cache);
  auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  double c = sig(0.5 + 0.1) * std::tanh(1.5 + 0.3), hv = sig(1.0 + 0.2) * std::tanh(c);
  CHECK(h(0, 0) == Approx(hv).epsilon(1e-14));
  for (std::size_t node = 1; node < 3; ++node) {  // no W x; the child at position 1 (left)
    const double i = sig(0.5 * hv + 0.1), o = sig(-0.5 * hv + 0.2), u = std::tanh(0.25 * hv + 0.3);
    const double f1 = sig(-1.0 * hv + 0.4);
    c = i * u + f1 * c;
    hv = o * std::tanh(c);
    CHECK(h(node, 0) == Approx(hv).epsilon(1e-14));
  }
}

TEST_CASE("Child-Sum Tree-LSTM backward matches central differences on trees of 1, 3, 5, 9 nodes", "[tree_lstm][gradcheck]") {
  Rng rng(2);
  ChildSumTreeLSTM<double> cell(3, 4, rng);
  std::uint64_t seed = 10;
  for (const Tree* t : {&kSingle, &kPair, &kUnaryChain, &kLeftChain5, &kRightChain5, &kWide}) {
    INFO("a tree of " << t->size() << " nodes, seed " << seed);
    check_tree_layer(cell, {t}, seed++);
  }
  INFO("the six trees as one batch");
  check_tree_layer(cell, {&kWide, &kSingle, &kLeftChain5, &kPair, &kRightChain5, &kUnaryChain}, 20);
  INFO("leaves-only inputs");
  cell.inputs = TreeInputs::leaves_only;
  check_tree_layer(cell, {&kWide, &kRightChain5, &kUnaryChain}, 21);
}

TEST_CASE("Binary Tree-LSTM backward matches central differences on trees of 1, 3, 5, 9 nodes", "[tree_lstm][gradcheck]") {
  Rng rng(3);
  BinaryTreeLSTM<double> cell(3, 4, rng);
  std::uint64_t seed = 40;
  for (const Tree* t : {&kSingle, &kPair, &kUnaryChain, &kLeftChain5, &kRightChain5, &kUnary9}) {
    INFO("a tree of " << t->size() << " nodes, seed " << seed);
    check_tree_layer(cell, {t}, seed++);
  }
  INFO("the six trees as one batch");
  check_tree_layer(cell, {&kUnary9, &kSingle, &kLeftChain5, &kPair, &kRightChain5, &kUnaryChain}, 50);
  INFO("an input at every node");
  cell.inputs = TreeInputs::every_node;
  check_tree_layer(cell, {&kUnary9, &kLeftChain7, &kUnaryChain}, 51);
}

TEST_CASE("Tree-LSTMs: level-batched forward and backward equal one tree at a time", "[tree_lstm]") {
  const std::vector<const Tree*> mixed{&kLeftChain7, &kSingle, &kUnary9, &kRightChain7, &kPair,
                                       &kBalanced7, &kUnaryChain, &kLeftChain5, &kRightChain5};
  Rng rng(4);
  const int threads = parallel_threads();
  set_parallel_threads(2);  // the batch split between two workers, each tree alone on one
  SECTION("binary") {
    BinaryTreeLSTM<double> cell(6, 7, rng);
    require_batched_equals_per_tree(cell, mixed);
  }
  SECTION("child-sum") {
    ChildSumTreeLSTM<double> cell(6, 7, rng);
    std::vector<const Tree*> with_wide = mixed;
    with_wide.insert(with_wide.begin() + 3, &kWide);
    require_batched_equals_per_tree(cell, with_wide);
  }
  set_parallel_threads(threads);
}

TEST_CASE("Child-Sum Tree-LSTM equals a plain PyTorch Tree-LSTM: h of every node, every gradient", "[tree_lstm][golden]") {
  require_golden_tree_lstm<double, ChildSumTreeLSTM<double>>("child_sum_tree_lstm", TreeInputs::every_node, 1e-10, 1e-12);
}

TEST_CASE("Binary Tree-LSTM equals a plain PyTorch Tree-LSTM: h of every node, every gradient", "[tree_lstm][golden]") {
  require_golden_tree_lstm<double, BinaryTreeLSTM<double>>("binary_tree_lstm", TreeInputs::leaves_only, 1e-10, 1e-12);
}

TEST_CASE("Binary Tree-LSTM in float equals PyTorch in float", "[tree_lstm][golden]") {
  require_golden_tree_lstm<float, BinaryTreeLSTM<float>>("binary_tree_lstm_f32", TreeInputs::leaves_only, 1e-4, 1e-5);
}

TEST_CASE("Tree-LSTMs in float match double", "[tree_lstm]") {
  const std::vector<const Tree*> trees{&kUnary9, &kLeftChain7, &kBalanced7};
  Rng rd(5), rf(5);
  BinaryTreeLSTM<double> d(8, 6, rd);
  BinaryTreeLSTM<float> f(8, 6, rf);
  REQUIRE(xt::allclose(xt::cast<double>(f.W), d.W, 1e-6, 1e-7));
  const auto x = random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{count_leaves(trees), 8}, 6);
  BinaryTreeLSTM<double>::Cache cd;
  BinaryTreeLSTM<float>::Cache cf;
  const Tensor2<double> hd = d.forward(trees, x, cd);
  const Tensor2<float> hf = f.forward(trees, xt::cast<float>(x), cf);
  testing::require_close("h", hf, hd, 1e-4, 1e-5);
  const auto R = random_like(hd, 7);
  const Tensor2<double> dxd = d.backward(R, cd);
  const Tensor2<float> dxf = f.backward(xt::cast<float>(R), cf);
  testing::require_close("dX", dxf, dxd, 1e-4, 1e-5);
  testing::require_close("dU", f.dU, d.dU, 1e-4, 1e-5);
  testing::require_close("dW", f.dW, d.dW, 1e-4, 1e-5);
}

TEST_CASE("Tree-LSTMs name themselves and both shapes in errors", "[tree_lstm]") {
  Rng rng(6);
  BinaryTreeLSTM<double> bin(3, 4, rng);
  ChildSumTreeLSTM<double> cs(3, 4, rng);
  CHECK(bin.describe() == "BinaryTreeLSTM(3 -> 4)");
  CHECK(cs.describe() == "ChildSumTreeLSTM(3 -> 4)");
  CHECK(bin.params().size() == 3);
  CHECK(bin.U.shape() == std::array<std::size_t, 2>{20, 8});
  CHECK(cs.U.shape() == std::array<std::size_t, 2>{16, 4});
  BinaryTreeLSTM<double>::Cache cache;
  // 5 nodes, 3 leaves: the binary cell wants 3 rows, the Child-Sum cell 5
  CHECK_THROWS_WITH(bin.forward({&kLeftChain5}, xt::zeros<double>({5, 3}), cache),
                    Catch::Contains("BinaryTreeLSTM(3 -> 4)") && Catch::Contains("(5, 3)") &&
                        Catch::Contains("(3, 3)"));
  CHECK_THROWS_AS(cs.forward({&kLeftChain5}, xt::zeros<double>({3, 3}), cache), ShapeError);
  CHECK_THROWS_WITH(cs.forward({&kLeftChain5}, xt::zeros<double>({5, 2}), cache),
                    Catch::Contains("ChildSumTreeLSTM(3 -> 4)") && Catch::Contains("(5, 2)") &&
                        Catch::Contains("(5, 3)"));
  CHECK_THROWS_WITH(bin.forward({&kWide}, xt::zeros<double>({6, 3}), cache),
                    Catch::Contains("BinaryTreeLSTM") && Catch::Contains("3 children, at most 2"));
  CHECK_THROWS_WITH(bin.backward(xt::zeros<double>({5, 4}), cache), Catch::Contains("before forward"));
  bin.forward({&kLeftChain5}, xt::zeros<double>({3, 3}), cache);
  CHECK_THROWS_WITH(bin.backward(xt::zeros<double>({4, 4}), cache),
                    Catch::Contains("BinaryTreeLSTM(3 -> 4)") && Catch::Contains("(4, 4)") &&
                        Catch::Contains("(5, 4)"));
  Tree broken = make_tree({{}, {}, {0, 1}});
  broken.nodes[2].children = {0, 3};
  CHECK_THROWS_AS(bin.forward({&broken}, xt::zeros<double>({2, 3}), cache), ValueError);
}
