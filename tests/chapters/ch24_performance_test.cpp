// ch24_performance: every matrix-product kernel equals the definition on awkward sizes (edges
// of every tile, block and SIMD register; 1xN, Nx1), on 1 and 2 threads; direct convolution
// equals im2col + GEMM; the roofline's FLOP and byte counts on known shapes; the profile's
// counts; and the --quick run. Values only: no test asserts a timing.
#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/models/cnns.hpp"
#include "dlcore/models/cost.hpp"
#include "support/chapter.hpp"

#include "../../chapters/ch24_performance/perf.hpp"

namespace {

struct Case {
  std::size_t M, N, K;
};

// Random A, B; C by the definition in double; and per element the bound sum_k |A||B| that
// float rounding error is relative to.
struct Product {
  std::vector<float> A, B;
  std::vector<double> C, bound;
};

Product make_product(const Case& c, std::uint64_t seed) {
  dl::Rng rng(seed);
  Product p;
  p.A.resize(c.M * c.K);
  p.B.resize(c.K * c.N);
  for (auto& v : p.A) v = float(rng.uniform(-1, 1));
  for (auto& v : p.B) v = float(rng.uniform(-1, 1));
  p.C.assign(c.M * c.N, 0.0);
  p.bound.assign(c.M * c.N, 0.0);
  for (std::size_t i = 0; i < c.M; ++i)
    for (std::size_t j = 0; j < c.N; ++j)
      for (std::size_t k = 0; k < c.K; ++k) {
        const double t = double(p.A[i * c.K + k]) * p.B[k * c.N + j];
        p.C[i * c.N + j] += t;
        p.bound[i * c.N + j] += std::abs(t);
      }
  return p;
}

void require_equal(const std::vector<float>& got, const Product& p) {
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i << ": got " << got[i] << ", expected " << p.C[i]);
    REQUIRE(std::abs(double(got[i]) - p.C[i]) <= 1e-5 * p.bound[i] + 1e-30);
  }
}

}  // namespace

TEST_CASE("ch24: every matmul kernel equals the definition on odd sizes, 1xN and Nx1", "[ch24]") {
  const std::size_t W = ch24::simd_width();
  const std::vector<Case> cases = {
      {1, 1, 1},        {1, 37, 5},       {37, 1, 5},         {5, 3, 1},  // K = 1: outer product
      {67, 45, 131},    {7, 2 * W + 1, 3},  // one column past a register tile
      {6, 2 * W, 257},  // K one past a block of 256 terms; exactly one micro-tile wide
      {121, 33, 17},    // M one past a 120-row block, 65 = 64 + 1 rows of a blocked tile
      {65, 513, 129},   // past matmul_blocked's tiles on every axis
      {3, 2049, 2},     // N one past a 2048-column block
  };
  for (const Case& c : cases)
    for (ch24::Kernel k : ch24::kAllKernels)
      for (int threads : {1, 2}) {
        const Product p = make_product(c, 3 + c.M + c.N + c.K);
        std::vector<float> C(c.M * c.N, 12345.0f);  // stale values must be overwritten
        ch24::matmul(k, p.A.data(), p.B.data(), C.data(), c.M, c.N, c.K, threads);
        INFO(ch24::kernel_name(k) << ", " << threads << " threads, M " << c.M << " N " << c.N
                                  << " K " << c.K);
        require_equal(C, p);
      }
}

TEST_CASE("ch24: a product with K = 0 is all zeros, and bad thread counts are refused", "[ch24]") {
  for (ch24::Kernel k : ch24::kAllKernels) {
    std::vector<float> A, B, C(6, 5.0f);
    ch24::matmul(k, A.data(), B.data(), C.data(), 2, 3, 0);
    INFO(ch24::kernel_name(k));
    CHECK(C == std::vector<float>(6, 0.0f));
  }
  std::vector<float> A(4, 1), B(4, 1), C(4);
  CHECK_THROWS_AS(ch24::matmul(ch24::Kernel::simd, A.data(), B.data(), C.data(), 2, 2, 2, 0),
                  dl::ValueError);
  CHECK_THROWS_AS(ch24::measure_triad(16, 0, 0.001), dl::ValueError);
  CHECK_THROWS_AS(ch24::measure_peak(0, 0.001), dl::ValueError);
  CHECK(ch24::matmul_flops(2, 3, 4) == 48);
}

TEST_CASE("ch24: direct convolution equals im2col + GEMM", "[ch24]") {
  dl::Rng rng(5);
  auto rnd = [&](std::vector<std::size_t> s) {
    dl::Tensor4<float> t = dl::Tensor4<float>::from_shape(s);
    for (auto& v : t) v = float(rng.uniform(-1, 1));
    return t;
  };
  // (N, C, H, W, O, k, stride, pad): "same", "valid", strided, odd, one channel
  for (auto [N, C, H, Wd, O, k, s, p] :
       std::vector<std::tuple<int, int, int, int, int, int, int, int>>{
           {2, 3, 9, 7, 4, 3, 1, 1}, {2, 32, 13, 13, 5, 3, 1, 0}, {1, 2, 11, 10, 3, 3, 2, 1},
           {3, 1, 6, 5, 2, 5, 1, 2}, {1, 4, 8, 8, 1, 1, 1, 0}}) {
    const auto x = rnd({std::size_t(N), std::size_t(C), std::size_t(H), std::size_t(Wd)});
    const auto W = rnd({std::size_t(O), std::size_t(C), std::size_t(k), std::size_t(k)});
    dl::Tensor1<float> b = dl::Tensor1<float>::from_shape({std::size_t(O)});
    for (auto& v : b) v = float(rng.uniform(-1, 1));
    const auto yd = ch24::conv_direct(x, W, b, std::size_t(s), std::size_t(p));
    const auto yi = ch24::conv_im2col(x, W, b, std::size_t(s), std::size_t(p));
    INFO("N " << N << " C " << C << " H " << H << " W " << Wd << " O " << O << " k " << k
              << " stride " << s << " pad " << p);
    REQUIRE(yd.shape() == yi.shape());
    // the two sum up to C k^2 = 288 terms in different orders: float rounding, relative
    for (std::size_t i = 0; i < yd.size(); ++i)
      REQUIRE(std::abs(yd.data()[i] - yi.data()[i]) <= 1e-5f * (1 + std::abs(yi.data()[i])));
  }
  // a hand-computed value: ones everywhere, 3x3 ones, pad 1: corners see 4, edges 6, inside 9
  dl::Tensor4<float> x = dl::Tensor4<float>::from_shape({1, 1, 4, 4}), W = dl::Tensor4<float>::from_shape({1, 1, 3, 3});
  x.fill(1), W.fill(1);
  dl::Tensor1<float> b = {0.5f};
  const auto y = ch24::conv_direct(x, W, b, 1, 1);
  CHECK(y(0, 0, 0, 0) == 4.5f);
  CHECK(y(0, 0, 0, 1) == 6.5f);
  CHECK(y(0, 0, 1, 1) == 9.5f);
  CHECK_THROWS_AS(ch24::conv_direct(x, dl::Tensor4<float>::from_shape({1, 2, 3, 3}), b, 1, 1),
                  dl::ShapeError);
}

TEST_CASE("ch24: the roofline's FLOP and byte counts on known shapes", "[ch24]") {
  // the seed CNN's first dense layer on a batch of 128: 1600 -> 512
  const ch24::Work d = ch24::dense_work(128, 1600, 512);
  CHECK(d.flops == 2.0 * 128 * 1600 * 512 + 128 * 512);  // 209,780,736
  CHECK(d.bytes == 4.0 * (128 * 1600 + 1600 * 512 + 512 + 128 * 512));
  // its first convolution, one image: 1 -> 32, 3x3, pad 1 on 28x28 -> 32 x 28 x 28 outputs
  const ch24::Work c = ch24::conv_work(1, 1, 28, 28, 32, 3, 1, 1);
  CHECK(c.flops == 476672);   // 2 x 25088 x 9 + 25088
  CHECK(c.bytes == 104768);   // 4 x (784 + 288 + 32 + 25088)
  // stride 2, no padding: 7x7 -> 3x3
  CHECK(ch24::conv_work(1, 2, 7, 7, 1, 3, 2, 0).flops == 2.0 * 9 * 2 * 9 + 9);
  // an LSTM step with N = D = H = 1: 16 GEMM + 8 bias + 5 cell FLOPs; 25 floats
  const ch24::Work l = ch24::lstm_step_work(1, 1, 1);
  CHECK(l.flops == 29);
  CHECK(l.bytes == 100);
  CHECK(ch24::lstm_step_work(128, 28, 128).flops == 2.0 * 128 * 156 * 512 + 2.0 * 128 * 512 + 5.0 * 128 * 128);
  const ch24::Work e = ch24::elementwise_work(1000);
  CHECK(e.flops == 1000);
  CHECK(e.intensity() == 0.125);
  CHECK(ch24::roof(1.0, 100.0, 10.0) == 10.0);    // memory-bound
  CHECK(ch24::roof(100.0, 100.0, 10.0) == 100.0); // compute-bound
  CHECK(ch24::Work{}.intensity() == 0);
}

TEST_CASE("ch24: the profile counts each layer's work from its shapes", "[ch24]") {
  dl::Rng rng(1);
  dl::Sequential<float> net = dl::seed_cnn<float>(rng);
  dl::Tensor4<float> X = dl::Tensor4<float>::from_shape({2, 1, 28, 28});
  for (auto& v : X) v = float(rng.uniform(0, 1));
  dl::Labels y = {3, 7};
  const auto prof = ch24::profile_step(net, X, y, rng, 1);
  REQUIRE(prof.size() == net.size());
  const dl::NetCost cost = dl::count_cost(net, {1, 28, 28});
  for (std::size_t i = 0; i < prof.size(); ++i) {
    INFO(i << " " << prof[i].layer);
    CHECK(prof[i].layer == net.module(i).describe());
    CHECK(prof[i].forward_seconds >= 0);
    CHECK(prof[i].backward_seconds >= 0);
    if (cost.layers[i].madds > 0) {  // conv and dense: 2 N madds, plus the bias per output
      CHECK(prof[i].forward_seconds > 0);  // timed (a value, not a speed)
      double outputs = 1;
      for (auto s : prof[i].out_shape) outputs *= double(s);
      CHECK(prof[i].forward.flops == 2.0 * 2 * double(cost.layers[i].madds) + outputs);
      CHECK(prof[i].backward_flops == (i == 0 ? 1 : 2) * 2.0 * 2 * double(cost.layers[i].madds));
    }
  }
  CHECK(prof[0].in_shape == std::vector<std::size_t>{2, 1, 28, 28});
  CHECK(prof[0].out_shape == std::vector<std::size_t>{2, 32, 28, 28});
  CHECK(prof[1].forward.flops == 2.0 * 32 * 28 * 28);  // ReLU: one per value
  CHECK(prof[1].forward.bytes == 8.0 * 2 * 32 * 28 * 28);
  CHECK_THROWS_AS(ch24::profile_step(net, X, y, rng, 0), dl::ValueError);
}

TEST_CASE("ch24 --quick measures every rung and writes its plots and metrics", "[ch24]") {
  const auto m = testing::quick_metrics("ch24_performance");
  for (const char* k : {"naive", "ikj", "blocked", "simd", "openblas"}) {
    INFO(k);
    CHECK(m[std::string("matmul_rel_diff_") + k].get<double>() < 1e-5);
    CHECK(m[std::string("matmul_best_gflops_") + k].get<double>() > 0);
  }
  CHECK(m["exercise_tiled_matches"] == true);
  CHECK(m["conv_rel_diff"].get<double>() < 1e-5);
  for (const char* k : {"peak_gflops_1core", "peak_gflops", "triad_gbs", "best_hand_fraction_of_peak",
                        "openblas_fraction_of_peak", "clock_ghz_from_throughput", "step_seconds_threads"}) {
    INFO(k);
    CHECK(m[k].get<double>() > 0);
    CHECK(std::isfinite(m[k].get<double>()));
  }
  CHECK(m["peak_flops_per_cycle"].get<double>() == 4.0 * m["simd_width"].get<double>());
  testing::require_outputs("ch24_performance",
                           {"matmul_gflops.svg", "matmul_gflops.csv", "roofline.svg", "roofline.csv",
                            "roofline_points.csv", "profile.svg", "profile.csv", "profile_threads.svg", "threads.csv",
                            "metrics.json"});
}

TEST_CASE("ch24 fails clearly on bad flags", "[ch24][errors]") {
  testing::require_rejects("ch24_performance", "--seconds 0", "--seconds");
  testing::require_rejects("ch24_performance", "--sizes 0", "--sizes");
  testing::require_help_lists("ch24_performance", {"--seed", "--quick", "--out", "--threads",
                                                   "--sizes", "--seconds", "--batch"});
}
