#include <catch2/catch.hpp>

#include <cstring>
#include <memory>

#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/optim/adagrad.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/rmsprop.hpp"
#include "dlcore/optim/sgd.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
// Replays the golden case's three gradients and compares the parameters after each step.
void parity(Optimizer<double>& opt, const std::string& c) {
  Tensor2<double> w = golden<double, 2>(c, "w0"), gw = xt::zeros_like(w);
  Tensor1<double> b = golden<double, 1>(c, "b0"), gb = xt::zeros_like(b);
  const std::vector<ParamRef<double>> params = {param_ref<double>("w", w, gw),
                                                param_ref<double>("b", b, gb)};
  for (int t = 1; t <= 3; ++t) {
    // noalias: write into the existing buffers, which the ParamRefs point at
    xt::noalias(gw) = golden<double, 2>(c, "gw" + std::to_string(t));
    xt::noalias(gb) = golden<double, 1>(c, "gb" + std::to_string(t));
    opt.step(params);
    require_close(c + " w after step " + std::to_string(t), w, golden<double, 2>(c, "w" + std::to_string(t)), 1e-12, 1e-14);
    require_close(c + " b after step " + std::to_string(t), b, golden<double, 1>(c, "b" + std::to_string(t)), 1e-12, 1e-14);
  }
}

// One parameter w = 1 with gradient g: the value after each of `steps` steps.
std::vector<double> trace(Optimizer<double>& opt, const std::vector<double>& grads) {
  Tensor1<double> w = {1.0}, g = {0.0};
  const std::vector<ParamRef<double>> params = {param_ref<double>("w", w, g)};
  std::vector<double> out;
  for (double gi : grads) {
    g(0) = gi;
    opt.step(params);
    out.push_back(w(0));
  }
  return out;
}
}  // namespace

TEST_CASE("Optimizer steps against hand-computed values", "[optim]") {
  SECTION("SGD: w = 1 - 0.1 * 2") {
    SGD<double> opt(0.1);
    CHECK(trace(opt, {2.0})[0] == Approx(0.8));
  }
  SECTION("momentum: v1 = g = 1, v2 = 0.9 + 1 = 1.9") {
    SGD<double> opt(0.1, 0.9);
    const auto w = trace(opt, {1.0, 1.0});
    CHECK(w[0] == Approx(0.9));
    CHECK(w[1] == Approx(0.9 - 0.19));
  }
  SECTION("Nesterov: step uses g + mu v = 1 + 0.9 * 1 = 1.9 first") {
    SGD<double> opt(0.1, 0.9, true);
    CHECK(trace(opt, {1.0})[0] == Approx(1 - 0.19));
  }
  SECTION("Adagrad: first step is lr * sign(g)") {
    Adagrad<double> opt(0.5);
    CHECK(trace(opt, {4.0})[0] == Approx(0.5).epsilon(1e-9));
  }
  SECTION("RMSprop: s = 0.1 g^2, step = lr g / sqrt(s)") {
    RMSprop<double> opt(0.01, 0.9);
    CHECK(trace(opt, {2.0})[0] == Approx(1 - 0.01 * 2 / std::sqrt(0.4)).epsilon(1e-9));
  }
  SECTION("Adam: bias correction makes the first step exactly lr") {
    Adam<double> opt(0.01);
    CHECK(trace(opt, {123.0})[0] == Approx(0.99).epsilon(1e-9));
  }
  SECTION("AdamW: decay first, w (1 - lr lambda), then the Adam step") {
    AdamW<double> opt(0.01, 0.9, 0.999, 1e-8, 0.5);
    CHECK(trace(opt, {1.0})[0] == Approx(1 * (1 - 0.005) - 0.01).epsilon(1e-9));
  }
}

TEST_CASE("Optimizers match torch.optim step for step", "[optim][pytorch]") {
  SECTION("SGD") { SGD<double> o(0.1); parity(o, "sgd"); }
  SECTION("SGD + weight decay") { SGD<double> o(0.1, 0, false, 0.01); parity(o, "sgd_wd"); }
  SECTION("momentum") { SGD<double> o(0.1, 0.9); parity(o, "momentum"); }
  SECTION("Nesterov") { SGD<double> o(0.1, 0.9, true); parity(o, "nesterov"); }
  SECTION("Adagrad") { Adagrad<double> o(0.1); parity(o, "adagrad"); }
  SECTION("RMSprop") { RMSprop<double> o(0.01, 0.9); parity(o, "rmsprop"); }
  SECTION("Adam") { Adam<double> o(0.01); parity(o, "adam"); }
  SECTION("Adam + L2") { Adam<double> o(0.01, 0.9, 0.999, 1e-8, 0.1); parity(o, "adam_l2"); }
  SECTION("AdamW") { AdamW<double> o(0.01, 0.9, 0.999, 1e-8, 0.1); parity(o, "adamw"); }
}

TEST_CASE("Optimizers reject bad settings and changed parameter lists", "[optim][errors]") {
  REQUIRE_THROWS_AS(SGD<double>(-0.1), ValueError);
  REQUIRE_THROWS_AS(SGD<double>(0.1, 0.0, true), ValueError);
  REQUIRE_THROWS_AS(Adam<double>(0.1, 1.0), ValueError);
  Adam<double> opt(0.1);
  Tensor1<double> w = {1.0}, g = {0.0}, w2 = {1.0}, g2 = {0.0};
  opt.step({param_ref<double>("w", w, g)});
  REQUIRE_THROWS_WITH(opt.step({param_ref<double>("w", w, g), param_ref<double>("w2", w2, g2)}),
                      Catch::Contains("2 parameters"));
}

TEST_CASE("Optimizer state is exposed by name for checkpoints", "[optim]") {
  Adam<double> opt(0.1);
  Tensor1<double> w = {1.0, 2.0}, g = {0.5, 0.5};
  opt.step({param_ref<double>("w", w, g)});
  const auto st = opt.state();
  REQUIRE(st.size() == 2);
  CHECK(st[0].name == "m/w");
  CHECK(st[1].name == "v/w");
  CHECK((*st[0].data)[0] == Approx(0.05));
  CHECK(opt.steps() == 1);
}

TEST_CASE("Adam split between two threads gives the one-thread update bit for bit",
          "[optim][threads]") {
  // 300,001 values (no multiple of the split's 1024-value blocks, nor of a vector register),
  // weight decay on: with BLAS on one thread and the pool on two, Adam::update splits.
  const std::size_t n = 300001;
  Rng rng(12);
  Tensor1<float> w0 = Tensor1<float>::from_shape({n}), g = Tensor1<float>::from_shape({n});
  for (auto& v : w0) v = float(rng.uniform(-1, 1));
  const int blas_threads = num_threads();
  auto run = [&](int threads) {
    set_parallel_threads(threads);
    set_num_threads(1);
    Tensor1<float> w = w0, gw = xt::zeros_like(w);
    Adam<float> opt(1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f);
    const std::vector<ParamRef<float>> params = {param_ref<float>("w", w, gw)};
    Rng r(13);
    for (int t = 0; t < 3; ++t) {
      for (auto& v : gw) v = float(r.normal());
      opt.step(params);
    }
    set_parallel_threads(0);
    set_num_threads(blas_threads);
    return w;
  };
  const Tensor1<float> one = run(1), two = run(2);
  CHECK_FALSE(one == w0);  // the steps moved the weights
  REQUIRE(std::memcmp(one.data(), two.data(), n * sizeof(float)) == 0);
}
