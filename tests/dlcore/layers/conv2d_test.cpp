#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/winograd.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;
using testing::random4;

TEST_CASE("conv_out_size is floor((n + 2p - k) / s) + 1", "[conv2d]") {
  CHECK(conv_out_size("t", 28, 5, 1, 0) == 24);
  CHECK(conv_out_size("t", 28, 3, 1, 1) == 28);
  CHECK(conv_out_size("t", 9, 3, 2, 1) == 5);
  CHECK(conv_out_size("t", 8, 3, 2, 1) == 4);
  CHECK(conv_out_size("t", 7, 2, 2, 0) == 3);
  REQUIRE_THROWS_AS(conv_out_size("t", 4, 5, 1, 0), ShapeError);
}

TEST_CASE("im2col follows its definition and col2im is its adjoint, for every small geometry",
          "[conv2d]") {
  // cols[(c kh + i) kw + j, oh Wo + ow] = x[c, oh s + i - p, ow s + j - p], 0 outside; and
  // <im2col(x), d> = <x, col2im(d)> for all x, d. Covers padding wider than the kernel,
  // strides that skip input columns, and windows whose rows or columns fall wholly outside.
  int geometries = 0;
  for (std::size_t H : {1, 2, 5})
    for (std::size_t W : {1, 3, 6})
      for (std::size_t k : {1, 2, 3, 5})
        for (std::size_t s : {1, 2, 3})
          for (std::size_t p : {0, 1, 2, 4}) {
            if (H + 2 * p < k || W + 2 * p < k) continue;
            ConvGeometry g;
            g.C = 2, g.H = H, g.W = W, g.kh = k, g.kw = k, g.stride = s, g.pad = p;
            g.Ho = conv_out_size("t", H, k, s, p), g.Wo = conv_out_size("t", W, k, s, p);
            const Tensor4<double> x = random4(1, g.C, H, W, 100 + geometries);
            std::vector<double> cols(g.rows() * g.cols()), expected(cols.size());
            im2col(x.data(), g, cols.data());
            for (std::size_t c = 0; c < g.C; ++c)
              for (std::size_t i = 0; i < k; ++i)
                for (std::size_t j = 0; j < k; ++j)
                  for (std::size_t oh = 0; oh < g.Ho; ++oh)
                    for (std::size_t ow = 0; ow < g.Wo; ++ow) {
                      const long ih = long(oh * s + i) - long(p), iw = long(ow * s + j) - long(p);
                      const bool inside = ih >= 0 && ih < long(H) && iw >= 0 && iw < long(W);
                      expected[((c * k + i) * k + j) * g.cols() + oh * g.Wo + ow] =
                          inside ? x(0, c, std::size_t(ih), std::size_t(iw)) : 0.0;
                    }
            INFO("H " << H << " W " << W << " k " << k << " s " << s << " p " << p);
            REQUIRE(cols == expected);
            const Tensor4<double> d = random4(1, 1, g.rows(), g.cols(), 900 + geometries);
            Tensor4<double> dx = xt::zeros<double>(x.shape());
            col2im(d.data(), g, dx.data());
            double lhs = 0, rhs = 0;
            for (std::size_t q = 0; q < cols.size(); ++q) lhs += cols[q] * d.data()[q];
            for (std::size_t q = 0; q < x.size(); ++q) rhs += x.data()[q] * dx.data()[q];
            REQUIRE(lhs == Approx(rhs).epsilon(1e-12));
            ++geometries;
          }
  CHECK(geometries > 300);
}

TEST_CASE("Winograd's input gradient equals the im2col one to float rounding", "[conv2d][winograd]") {
  // dX of a 3x3, stride-1 layer is the 3x3 convolution of dY, padded by 2 - p, with the
  // flipped, transposed filters; Conv2D takes it through Winograd where that convolution's
  // geometry allows. dW and db do not change path: they must agree bit for bit.
  struct Case {
    std::size_t N, C, H, W, O, pad;
  };
  const Case cases[] = {{3, 8, 6, 6, 8, 0},   {2, 9, 7, 8, 12, 1},  {2, 32, 13, 13, 64, 1},
                        {3, 32, 28, 28, 32, 0}, {2, 64, 13, 13, 64, 0}, {2, 8, 9, 37, 10, 2},
                        {1, 16, 12, 12, 4, 1}};  // the last: C_out 4, too few for Winograd
  Rng rng(31);
  int winograd_cases = 0;
  for (const Case& c : cases) {
    Conv2D<float> conv(c.C, c.O, 3, rng, 1, c.pad);
    const Tensor4<float> x = testing::random_tensor<Tensor4<float>>(std::array<std::size_t, 4>{c.N, c.C, c.H, c.W}, 32);
    Conv2D<float>::Cache cache;
    conv.winograd = false;
    const Tensor4<float> y = conv.forward(x, cache);
    const Tensor4<float> dy = testing::random_tensor<Tensor4<float>>(std::array<std::size_t, 4>{c.N, c.O, y.shape(2), y.shape(3)}, 33);
    const Tensor4<float> want = conv.backward(dy, cache);
    const Tensor4<float> dW_want = conv.dW;
    const Tensor1<float> db_want = conv.db;
    conv.dW.fill(0), conv.db.fill(0);
    conv.winograd = true;
    const Tensor4<float> dx = conv.backward(dy, cache);
    ConvGeometry gx;
    gx.C = c.O, gx.H = y.shape(2), gx.W = y.shape(3), gx.kh = gx.kw = 3, gx.stride = 1;
    gx.pad = 2 - c.pad, gx.Ho = c.H, gx.Wo = c.W;
    winograd_cases += winograd_applies(gx);
    INFO("N " << c.N << ", C " << c.C << ", " << c.H << "x" << c.W << ", C_out " << c.O << ", pad " << c.pad);
    for (float v : dx) REQUIRE(std::isfinite(v));
    require_close("dX", dx, want, 1e-5, 2e-5);
    require_close("dW", conv.dW, dW_want, 0, 0);
    require_close("db", conv.db, db_want, 0, 0);
  }
  CHECK(winograd_cases == 6);
}

TEST_CASE("Float dW and db, columns read in place at stride 1, equal double's through im2col",
          "[conv2d]") {
  // At stride 1 a float layer computes dW^T from a padded copy of each image (no column
  // matrix; positions between output rows multiplied by zero). Checked against the double
  // layer, whose backward builds the columns, on kernels 1-5, padding 0-2, with and without
  // bias, and at stride 2 (which keeps im2col in both).
  struct Case {
    std::size_t N, C, H, W, O, k, stride, pad;
    bool bias;
  };
  const Case cases[] = {{3, 8, 9, 11, 16, 3, 1, 0, true},  {2, 4, 7, 7, 20, 5, 1, 2, true},
                        {2, 16, 13, 13, 32, 3, 1, 1, false}, {2, 3, 10, 6, 16, 1, 1, 0, true},
                        {2, 6, 12, 12, 16, 5, 1, 0, true},   {2, 8, 9, 9, 16, 3, 2, 1, true},
                        {1, 32, 28, 28, 32, 3, 1, 0, true}};
  for (const Case& c : cases) {
    Rng r1(40), r2(40);
    Conv2D<double> cd(c.C, c.O, c.k, r1, c.stride, c.pad, Init::he_uniform, c.bias);
    Conv2D<float> cf(c.C, c.O, c.k, r2, c.stride, c.pad, Init::he_uniform, c.bias);
    const Tensor4<double> x = random4(c.N, c.C, c.H, c.W, 41);
    Conv2D<double>::Cache kd;
    Conv2D<float>::Cache kf;
    const Tensor4<double> y = cd.forward(x, kd);
    cf.forward(xt::cast<float>(x), kf);
    const Tensor4<double> dy = random4(c.N, c.O, y.shape(2), y.shape(3), 42);
    cd.backward(dy, kd);
    cf.backward(xt::cast<float>(dy), kf);
    INFO("C " << c.C << " " << c.H << "x" << c.W << " C_out " << c.O << " k " << c.k << " stride "
              << c.stride << " pad " << c.pad << " bias " << c.bias);
    require_close("dW", Tensor4<double>(xt::cast<double>(cf.dW)), cd.dW, 1e-4, 1e-4);
    if (c.bias) require_close("db", Tensor1<double>(xt::cast<double>(cf.db)), cd.db, 1e-4, 1e-4);
  }
}

TEST_CASE("im2col and col2im in float agree with double on rows longer than a vector register",
          "[conv2d]") {
  // The float rows go through masked AVX-512 loads and stores where the processor has them:
  // rows of 1 to 40 values, whole registers, tails, and rows clipped by padding on both sides.
  for (std::size_t W : {1, 5, 15, 16, 17, 26, 33, 40})
    for (std::size_t s : {1, 2})
      for (std::size_t p : {0, 1, 2}) {
        ConvGeometry g;
        g.C = 3, g.H = 4, g.W = W, g.kh = 3, g.kw = 3, g.stride = s, g.pad = p;
        if (W + 2 * p < 3) continue;
        g.Ho = conv_out_size("t", g.H, 3, s, p), g.Wo = conv_out_size("t", W, 3, s, p);
        const Tensor4<double> x = random4(1, g.C, g.H, W, 7 + W);
        const Tensor4<float> xf = xt::cast<float>(x);
        std::vector<double> cols(g.rows() * g.cols());
        std::vector<float> colsf(cols.size(), std::numeric_limits<float>::quiet_NaN());
        im2col(x.data(), g, cols.data());
        im2col(xf.data(), g, colsf.data());
        INFO("W " << W << " s " << s << " p " << p);
        for (std::size_t q = 0; q < cols.size(); ++q) REQUIRE(colsf[q] == float(cols[q]));
        const Tensor4<double> d = random4(1, 1, g.rows(), g.cols(), 70 + W);
        const Tensor4<float> df = xt::cast<float>(d);
        Tensor4<double> dx = xt::zeros<double>(x.shape());
        Tensor4<float> dxf = xt::zeros<float>(x.shape());
        col2im(d.data(), g, dx.data());
        col2im(df.data(), g, dxf.data());
        for (std::size_t q = 0; q < dx.size(); ++q) REQUIRE(dxf.data()[q] == Approx(dx.data()[q]).margin(1e-5));
      }
}

TEST_CASE("Conv2D forward computes a cross-correlation by hand", "[conv2d]") {
  Rng rng(1);
  Conv2D<double> conv(1, 1, 2, rng);
  conv.W = Tensor4<double>{{{{1, 2}, {3, 4}}}};
  conv.b = {0.5};
  const Tensor4<double> x = {{{{1, 0, 2}, {0, 1, 0}, {3, 0, 1}}}};
  Conv2D<double>::Cache cache;
  const Tensor4<double> y = conv.forward(x, cache);
  // top-left window [[1,0],[0,1]]: 1*1 + 0*2 + 0*3 + 1*4 + 0.5 = 5.5 (no kernel flip);
  // bottom-left [[0,1],[3,0]]: 0*1 + 1*2 + 3*3 + 0*4 + 0.5 = 11.5
  const Tensor4<double> expected = {{{{5.5, 7.5}, {11.5, 5.5}}}};
  require_close("Y", y, expected);
}

TEST_CASE("Conv2D with padding and stride 2 by hand", "[conv2d]") {
  Rng rng(1);
  Conv2D<double> conv(1, 1, 3, rng, /*stride=*/2, /*padding=*/1);
  conv.W = xt::ones<double>({1, 1, 3, 3});
  conv.b = {0};
  Tensor4<double> x = xt::ones<double>({1, 1, 4, 4});
  Conv2D<double>::Cache cache;
  const Tensor4<double> y = conv.forward(x, cache);
  // windows centred on (0,0), (0,2), (2,0), (2,2): corner sees 4 ones, edge 6, inside 9
  const Tensor4<double> expected = {{{{4, 6}, {6, 9}}}};
  require_close("Y", y, expected);
}

TEST_CASE("Conv2D backward matches central differences", "[conv2d][gradcheck]") {
  struct Config {
    std::size_t n, c_in, c_out, h, w, k, stride, pad;
  };
  const Config configs[] = {
      {2, 1, 2, 5, 5, 3, 1, 0},  // valid
      {2, 2, 3, 6, 5, 3, 1, 1},  // same, non-square
      {1, 3, 2, 7, 8, 3, 2, 1},  // stride 2 with padding
      {2, 2, 2, 9, 7, 5, 2, 2},  // 5x5, stride 2, pad 2
      {2, 3, 4, 4, 3, 1, 1, 0},  // 1x1
      {1, 2, 2, 6, 6, 2, 2, 0},  // non-overlapping 2x2 windows
  };
  std::uint64_t seed = 10;
  for (const Config& c : configs) {
    INFO("N " << c.n << " C_in " << c.c_in << " C_out " << c.c_out << " H " << c.h << " W "
              << c.w << " k " << c.k << " s " << c.stride << " p " << c.pad);
    Rng rng(seed);
    Conv2D<double> conv(c.c_in, c.c_out, c.k, rng, c.stride, c.pad);
    conv.b = testing::random_like(conv.b, seed + 1);
    testing::check_layer(conv, random4(c.n, c.c_in, c.h, c.w, seed + 2));
    seed += 10;
  }
}

TEST_CASE("Conv2D backward accumulates parameter gradients and can skip dX", "[conv2d]") {
  Rng rng(1);
  Conv2D<double> conv(2, 3, 3, rng, 1, 1);
  Conv2D<double>::Cache cache;
  const Tensor4<double> x = random4(2, 2, 5, 5, 3);
  const Tensor4<double> g = random4(2, 3, 5, 5, 4);
  conv.forward(x, cache);
  conv.backward(g, cache);
  const Tensor4<double> once = conv.dW;
  conv.input_grad = false;
  const Tensor4<double> dx = conv.backward(g, cache);
  CHECK(dx.size() == 0);
  require_close("dW after two backward calls", conv.dW, Tensor4<double>(2.0 * once));
}

template <class T>
void conv_parity(const std::string& c, std::size_t stride, std::size_t pad, double rtol,
                 double atol) {
  Conv2D<T> conv;
  conv.W = golden<T, 4>(c, "W");
  conv.b = golden<T, 1>(c, "b");
  conv.dW = xt::zeros<T>(conv.W.shape());
  conv.db = xt::zeros<T>(conv.b.shape());
  conv.stride = stride;
  conv.padding = pad;
  typename Conv2D<T>::Cache cache;
  const Tensor4<T> y = conv.forward(golden<T, 4>(c, "x"), cache);
  const Tensor4<T> dx = conv.backward(golden<T, 4>(c, "dy"), cache);
  require_close(c + " y", y, golden<T, 4>(c, "y"), rtol, atol);
  require_close(c + " dx", dx, golden<T, 4>(c, "dx"), rtol, atol);
  require_close(c + " dW", conv.dW, golden<T, 4>(c, "dW"), rtol, atol);
  require_close(c + " db", conv.db, golden<T, 1>(c, "db"), rtol, atol);
}

TEST_CASE("Conv2D without bias: W only, the output of a zero bias, gradients checked", "[conv2d][gradcheck]") {
  Rng rng(11);
  Conv2D<double> plain(2, 3, 3, rng, 2, 1, Init::he_normal, /*bias=*/false);
  CHECK_FALSE(plain.has_bias());
  CHECK(plain.b.size() == 0);
  REQUIRE(plain.params().size() == 1);
  CHECK(plain.params()[0].name == "W");
  CHECK(plain.describe() == "Conv2D(2 -> 3, 3x3, stride 2, pad 1, no bias)");
  Conv2D<double> with_bias(2, 3, 3, rng, 2, 1);
  with_bias.W = plain.W;  // the same weights and a zero bias
  const auto x = random4(3, 2, 5, 6, 12);
  Conv2D<double>::Cache c1, c2;
  require_close("Y", plain.forward(x, c1), with_bias.forward(x, c2));
  testing::check_layer(plain, random4(3, 2, 5, 6, 13));
}

TEST_CASE("Conv2D matches PyTorch nn.Conv2d", "[conv2d][pytorch]") {
  conv_parity<double>("conv_basic", 1, 0, 1e-10, 1e-12);
  conv_parity<double>("conv_same", 1, 1, 1e-10, 1e-12);
  conv_parity<double>("conv_stride2", 2, 1, 1e-10, 1e-12);
  conv_parity<double>("conv_k5_stride2", 2, 2, 1e-10, 1e-12);
  conv_parity<double>("conv_1x1", 1, 0, 1e-10, 1e-12);
  conv_parity<float>("conv_lenet_f32", 1, 0, 1e-4, 1e-4);
}

TEST_CASE("Conv2D rejects wrong input shapes, naming the layer and both shapes",
          "[conv2d][errors]") {
  Rng rng(1);
  Conv2D<float> conv(3, 8, 5, rng);
  Conv2D<float>::Cache cache;
  REQUIRE_THROWS_WITH(conv.forward(xt::zeros<float>({2, 1, 28, 28}), cache),
                      Catch::Contains("Conv2D(3 -> 8") && Catch::Contains("(2, 1, 28, 28)") &&
                          Catch::Contains("(N, 3, H, W)"));
  REQUIRE_THROWS_WITH(conv.forward(xt::zeros<float>({2, 3, 4, 9}), cache),
                      Catch::Contains("Conv2D") && Catch::Contains("(2, 3, 4, 9)") &&
                          Catch::Contains("window of 5"));
  conv.forward(xt::zeros<float>({2, 3, 8, 8}), cache);
  REQUIRE_THROWS_WITH(conv.backward(xt::zeros<float>({2, 8, 5, 4}), cache),
                      Catch::Contains("gradient dY") && Catch::Contains("(2, 8, 4, 4)"));
  REQUIRE_THROWS_AS(Conv2D<float>(3, 8, 0, rng), ValueError);
}

TEST_CASE("Sequential refuses a matrix into a Conv2D", "[conv2d][errors]") {
  Rng rng(1);
  Sequential<float> net;
  net.add(Conv2D<float>(1, 4, 3, rng));
  REQUIRE_THROWS_WITH(net.forward(Tensor2<float>(xt::zeros<float>({2, 784}))),
                      Catch::Contains("Conv2D") && Catch::Contains("(2, 784)"));
}

TEST_CASE("Conv2D split between two threads gives the one-thread results", "[conv2d][threads]") {
  // Large enough (about 0.4 GFLOP per call) for Conv2D to split the batch into chunks.
  Rng rng(8);
  Conv2D<float> conv(32, 32, 3, rng, 1, 1);
  const Tensor4<float> x = testing::random_tensor<Tensor4<float>>(std::array<std::size_t, 4>{64, 32, 18, 18}, 9);
  const Tensor4<float> g = testing::random_tensor<Tensor4<float>>(std::array<std::size_t, 4>{64, 32, 18, 18}, 10);
  // "One thread" means BLAS too: OpenBLAS's own two-thread sgemm (Haswell kernels) sums in
  // another order than its one-thread sgemm, so a reference run with BLAS threads would
  // differ in the last bits from both.
  const int blas_threads = num_threads();
  auto run = [&](int threads, Tensor4<float>& dW) {
    set_parallel_threads(threads);
    if (threads == 1) set_num_threads(1);
    Conv2D<float> c = conv;
    c.dW.fill(0.f);
    c.db.fill(0.f);
    Conv2D<float>::Cache cache;
    Tensor4<float> y = c.forward(x, cache);
    Tensor4<float> dx = c.backward(g, cache);
    dW = c.dW;
    set_parallel_threads(0);
    set_num_threads(blas_threads);
    return std::make_pair(y, dx);
  };
  Tensor4<float> dW1, dW2;
  const auto one = run(1, dW1);
  const auto two = run(2, dW2);
  CHECK(parallel_plan(64, 2.0 * 64 * 32 * 288 * 324).chunks == (parallel_threads() > 1 ? 8u : 1u));
  require_close("Y", two.first, one.first, 0, 0);      // each image is computed the same way
  require_close("dX", two.second, one.second, 0, 0);
  require_close("dW", dW2, dW1, 1e-4, 1e-3);           // per-chunk sums: another order of adds
}

TEST_CASE("A default-constructed Conv2D given only W and b says what backward lacks",
          "[conv2d][errors]") {
  Conv2D<double> conv;
  conv.W = xt::ones<double>({2, 1, 3, 3});
  conv.b = xt::zeros<double>({2});
  Conv2D<double>::Cache cache;
  const Tensor4<double> y = conv.forward(xt::ones<double>({1, 1, 4, 4}), cache);
  CHECK(y(0, 1, 1, 1) == 9);  // forward needs no gradients
  const Tensor4<double> g = xt::ones<double>({1, 2, 2, 2});
  REQUIRE_THROWS_AS(conv.backward(g, cache), ShapeError);  // not a write into an empty dW
  REQUIRE_THROWS_WITH(conv.backward(g, cache),
                      Catch::Contains("Conv2D(1 -> 2, 3x3") && Catch::Contains("dW has shape (0, 0, 0, 0)") &&
                          Catch::Contains("W has shape (2, 1, 3, 3)") &&
                          Catch::Contains("default constructor"));
  conv.dW = xt::zeros<double>({2, 1, 3, 3});
  conv.db = xt::zeros<double>({2});
  conv.backward(g, cache);
  CHECK(conv.db(0) == 4);
  CHECK(conv.dW(1, 0, 0, 0) == 4);
}

TEST_CASE("Winograd F(2x2, 3x3) equals the im2col convolution to float rounding",
          "[conv2d][winograd]") {
  struct Case {
    std::size_t N, C, H, W, O, pad;
  };
  // even and odd output sizes (a last, partial row and column of tiles), padding 0 and 1,
  // channel counts that are no multiple of the micro-tile, a single tile, rows of more tiles
  // than a vector register holds (19 and 17 tiles: a full step and a partial one)
  const Case cases[] = {{2, 8, 6, 6, 4, 0},  {3, 9, 7, 8, 5, 1},   {2, 16, 5, 9, 7, 1},
                        {1, 8, 4, 4, 3, 0},  {2, 32, 13, 13, 64, 1}, {4, 32, 28, 28, 32, 0},
                        {2, 12, 3, 11, 10, 1}, {2, 8, 37, 40, 3, 1}, {1, 9, 35, 35, 5, 0},
                        {2, 72, 6, 6, 40, 1}};  // filters split between threads, 64 + 8 channels
  Rng rng(21);
  for (const Case& c : cases) {
    Conv2D<float> conv(c.C, c.O, 3, rng, 1, c.pad);
    for (auto& v : conv.b) v = float(rng.uniform(-1, 1));
    conv.winograd = false;
    const Tensor4<float> x = testing::random_tensor<Tensor4<float>>(std::array<std::size_t, 4>{c.N, c.C, c.H, c.W}, 22);
    Conv2D<float>::Cache cache;
    const Tensor4<float> want = conv.forward(x, cache);
    const ConvGeometry g = conv.geometry(shape_of(x));
    std::vector<float> U(16 * c.O * c.C);
    winograd_filters(conv.W.data(), c.O, c.C, U.data());
    Tensor4<float> y = Tensor4<float>::from_shape(want.shape());
    y.fill(std::numeric_limits<float>::quiet_NaN());  // every output must be written
    winograd_conv3x3(x.data(), c.N, g, U.data(), c.O, conv.b.data(), y.data());
    INFO("N " << c.N << ", C " << c.C << ", " << c.H << "x" << c.W << ", C_out " << c.O << ", pad " << c.pad);
    for (float v : y) REQUIRE(std::isfinite(v));
    require_close("Winograd Y", y, want, 1e-5, 2e-5);  // sums of 9 C products of size ~1
    // the layer takes this path where winograd_applies() says so, with the same result
    conv.winograd = true;
    require_close("Conv2D Y", conv.forward(x, cache), winograd_applies(g) ? y : want, 0, 0);
  }
  {  // no images: nothing read, nothing written
    Rng r1(4);
    const Conv2D<float> conv(8, 4, 3, r1);
    const ConvGeometry g = conv.geometry({1, 8, 6, 6});
    std::vector<float> U(16 * 4 * 8, 0.0f), y(1, 7.0f);
    winograd_conv3x3(nullptr, 0, g, U.data(), 4, nullptr, y.data());
    CHECK(y[0] == 7.0f);
  }
  Rng r2(3);
  CHECK(winograd_applies(Conv2D<float>(32, 32, 3, r2).geometry({1, 32, 28, 28})));        // 26 x 26
  CHECK(winograd_applies(Conv2D<float>(64, 64, 3, r2).geometry({1, 64, 13, 13})));        // 11 x 11: 19% waste
  CHECK_FALSE(winograd_applies(Conv2D<float>(64, 64, 3, r2).geometry({1, 64, 11, 11})));  // 9 x 9: 23%
  CHECK_FALSE(winograd_applies(Conv2D<float>(1, 32, 3, r2, 1, 1).geometry({1, 1, 28, 28})));  // C 1
  CHECK_FALSE(winograd_applies(Conv2D<float>(16, 16, 3, r2, 2, 1).geometry({1, 16, 28, 28})));  // stride 2
}
