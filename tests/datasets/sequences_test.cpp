// The synthetic sequence tasks and Fashion-MNIST read row by row.
#include <catch2/catch.hpp>

#include <cmath>

#include "datasets/mnist.hpp"
#include "datasets/sequences.hpp"

using namespace dl;

TEST_CASE("Adding problem: two markers, one per half, and the target is their sum", "[sequences]") {
  Rng rng(1);
  const auto d = datasets::adding_problem<double>(200, 10, rng);
  REQUIRE(d.X.shape(0) == 10);
  REQUIRE(d.X.shape(1) == 200);
  REQUIRE(d.X.shape(2) == 2);
  double mean = 0, var_sum = 0;
  for (std::size_t n = 0; n < 200; ++n) {
    int first = 0, second = 0;
    double sum = 0;
    for (std::size_t t = 0; t < 10; ++t) {
      CHECK(d.X(t, n, 0) >= 0.0);
      CHECK(d.X(t, n, 0) < 1.0);
      if (d.X(t, n, 1) == 1.0) {
        (t < 5 ? first : second) += 1;
        sum += d.X(t, n, 0);
      } else {
        CHECK(d.X(t, n, 1) == 0.0);
      }
    }
    CHECK(first == 1);
    CHECK(second == 1);
    CHECK(d.y(n, 0) == sum);
    mean += sum / 200;
    var_sum += (sum - 1) * (sum - 1) / 200;
  }
  CHECK(mean == Approx(1.0).margin(0.08));     // E[u1 + u2] = 1
  CHECK(var_sum == Approx(1.0 / 6).margin(0.04));  // the MSE of always answering 1
  Rng again(1);
  CHECK((datasets::adding_problem<double>(200, 10, again).X == d.X));  // seeded
  CHECK_THROWS_AS(datasets::adding_problem<float>(4, 1, rng), ValueError);
}

TEST_CASE("Copy task: symbols, blanks, a delimiter, and the symbols as step-major targets", "[sequences]") {
  Rng rng(2);
  const std::size_t N = 6, delay = 4, S = 3, K = 5;
  const auto d = datasets::copy_task<float>(N, delay, S, K, rng);
  REQUIRE(d.X.shape(0) == delay + 2 * S);
  REQUIRE(d.X.shape(2) == K + 2);
  REQUIRE(d.y.size() == S * N);
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t t = 0; t < d.X.shape(0); ++t) {
      float ones = 0;
      std::size_t code = 0;
      for (std::size_t k = 0; k < K + 2; ++k)
        if (d.X(t, n, k) == 1.0f) ones += 1, code = k;
      CHECK(ones == 1.0f);  // one-hot
      if (t < S) CHECK(code == std::size_t(d.y(t * N + n)) + 1);
      else if (t == S + delay - 1) CHECK(code == K + 1);  // the delimiter
      else CHECK(code == 0);                              // blank
    }
  CHECK_THROWS_AS(datasets::copy_task<float>(2, 0, 3, 5, rng), ValueError);
}

TEST_CASE("Fashion-MNIST row by row: step t of sequence n is row t of image n", "[sequences][mnist]") {
  datasets::IdxSplit s;
  s.images = xt::xtensor<std::uint8_t, 3>::from_shape({2, 3, 4});
  for (std::size_t i = 0; i < s.images.size(); ++i) s.images.data()[i] = std::uint8_t(10 * i);
  s.labels = {7, 1};
  const auto d = datasets::to_rows<float>(s);
  REQUIRE(d.X.shape(0) == 3);
  REQUIRE(d.X.shape(1) == 2);
  REQUIRE(d.X.shape(2) == 4);
  CHECK(d.X(2, 1, 3) == Approx(10.0f * (12 + 8 + 3) / 255));  // image 1, row 2, column 3
  CHECK(d.X(0, 0, 1) == Approx(10.0f / 255));
  CHECK(d.y(0) == 7);
  CHECK(d.size() == 2);
}
