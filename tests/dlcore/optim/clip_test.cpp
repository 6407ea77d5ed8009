#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/optim/clip.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

TEST_CASE("clip_grad_norm: hand-computed 3-4-5 example", "[clip]") {
  Tensor1<double> a = {0, 0}, ga = {3, 0};
  Tensor2<double> b = {{0}}, gb = {{4}};
  const std::vector<ParamRef<double>> ps = {param_ref<double>("a", a, ga), param_ref<double>("b", b, gb)};
  CHECK(global_grad_norm(ps) == Approx(5.0));
  CHECK(clip_grad_norm(ps, 1.0) == Approx(5.0));  // returns the norm before clipping
  CHECK(ga(0) == Approx(3.0 / (5 + 1e-6)).epsilon(1e-12));
  CHECK(gb(0, 0) == Approx(4.0 / (5 + 1e-6)).epsilon(1e-12));
  CHECK(global_grad_norm(ps) == Approx(1.0).epsilon(1e-6));  // the direction kept, the norm max_norm
  CHECK(clip_grad_norm(ps, 2.0) == Approx(1.0).epsilon(1e-6));  // below max_norm: unchanged
  CHECK(ga(0) == Approx(3.0 / (5 + 1e-6)).epsilon(1e-12));
}

TEST_CASE("clip_grad_norm matches torch.nn.utils.clip_grad_norm_", "[clip][pytorch]") {
  for (const std::string c : {"clip_active", "clip_inactive"}) {
    Tensor2<double> w0 = xt::zeros<double>({6, 4}), w2 = xt::zeros<double>({4, 2});
    Tensor1<double> w1 = xt::zeros<double>({4});
    Tensor2<double> g0 = golden<double, 2>(c, "g0"), g2 = golden<double, 2>(c, "g2");
    Tensor1<double> g1 = golden<double, 1>(c, "g1");
    const std::vector<ParamRef<double>> ps = {param_ref<double>("0", w0, g0), param_ref<double>("1", w1, g1, false),
                                              param_ref<double>("2", w2, g2)};
    const double norm = clip_grad_norm(ps, golden<double, 1>(c, "max_norm")(0));
    CHECK(norm == Approx(golden<double, 1>(c, "norm")(0)).epsilon(1e-12));
    require_close(c + " g0", g0, golden<double, 2>(c, "c0"), 1e-12, 1e-14);
    require_close(c + " g1", g1, golden<double, 1>(c, "c1"), 1e-12, 1e-14);
    require_close(c + " g2", g2, golden<double, 2>(c, "c2"), 1e-12, 1e-14);
  }
}

TEST_CASE("clip_grad_norm in float and with bad arguments", "[clip][errors]") {
  Tensor1<float> w = {0, 0, 0}, g = {1e3f, -2e3f, 2e3f};
  const std::vector<ParamRef<float>> ps = {param_ref<float>("w", w, g)};
  CHECK(clip_grad_norm(ps, 0.5) == Approx(3000.0));
  CHECK(global_grad_norm(ps) == Approx(0.5).epsilon(1e-5));
  CHECK_THROWS_WITH(clip_grad_norm(ps, 0.0), Catch::Contains("clip_grad_norm") && Catch::Contains("max_norm"));
  g(0) = NAN;
  CHECK(std::isnan(clip_grad_norm(ps, 1.0)));  // as in PyTorch: NaN in, NaN out (fit stops on the loss)
  CHECK(std::isnan(g(1)));
}
