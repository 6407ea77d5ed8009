// The perceptron: its rule by hand, convergence on separable data within Novikoff's bound,
// no convergence on XOR, and clear errors on bad input.
#include <catch2/catch.hpp>

#include "datasets/synthetic.hpp"
#include "dlcore/layers/perceptron.hpp"

using namespace dl;

TEST_CASE("Perceptron: score, step activation and one update by hand", "[perceptron]") {
  Perceptron<double> p(2);
  CHECK(p.dim() == 2);
  CHECK(p.score(Tensor1<double>{1, 2}) == 0.0);
  CHECK(p.predict_one(Tensor1<double>{1, 2}) == 0);  // a score of exactly 0 predicts 0
  // (1, 2) is class 1 but predicted 0: w += 0.5 (1 - 0) (1, 2), b += 0.5
  CHECK(p.update(Tensor1<double>{1, 2}, 1, 0.5) == 1);
  CHECK(p.w(0) == 0.5);
  CHECK(p.w(1) == 1.0);
  CHECK(p.b == 0.5);
  CHECK(p.score(Tensor1<double>{1, 2}) == 3.0);  // 0.5 + 2 + 0.5
  // a correct example changes nothing
  CHECK(p.update(Tensor1<double>{1, 2}, 1, 0.5) == 0);
  CHECK(p.b == 0.5);
  // (2, -1) is class 0 but scores 0.5 * 2 - 1 + 0.5 = 0.5 > 0: w -= 0.5 (2, -1), b -= 0.5
  CHECK(p.update(Tensor1<double>{2, -1}, 0, 0.5) == -1);
  CHECK(p.w(0) == -0.5);
  CHECK(p.w(1) == 1.5);
  CHECK(p.b == 0.0);
  const Labels yhat = p.predict(Tensor2<double>{{1, 2}, {2, -1}, {0, 0}});
  CHECK(yhat(0) == 1);
  CHECK(yhat(1) == 0);
  CHECK(yhat(2) == 0);
}

TEST_CASE("Perceptron learns separable data in fewer updates than Novikoff's bound", "[perceptron]") {
  for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
    Rng rng(seed);
    const auto d = datasets::linearly_separable<double>(150, rng, 0.1);
    Perceptron<double> p(2);
    PerceptronOptions opt;
    opt.epochs = 1000;
    opt.stop_when_converged = true;
    const auto h = train_perceptron(p, d.X, d.y, rng, opt);
    INFO("seed " << seed);
    REQUIRE(h.converged_epoch > 0);
    CHECK(h.errors.size() == h.converged_epoch);  // stopped right there
    CHECK(h.errors.back() == 0);
    CHECK(count_errors(p, d.X, d.y) == 0);
    CHECK(h.best_errors == 0);
    std::size_t sum = 0;
    for (auto m : h.mistakes) sum += m;
    CHECK(sum == h.updates);
    CHECK(h.updates > 0);
    // the line the generator draws around: w* = (1, -0.6), b* = 0.1
    const NovikoffBound nb = novikoff_bound(d.X, d.y, Tensor1<double>{1.0, -0.6}, 0.1);
    CHECK(nb.margin >= 0.05 * std::hypot(1.0, -0.6) / std::hypot(1.0, -0.6, 0.1) - 1e-12);
    CHECK(double(h.updates) <= nb.bound);
  }
}

TEST_CASE("Perceptron in float learns the same separable data", "[perceptron]") {
  Rng rng(3);
  const auto d = datasets::linearly_separable<float>(100, rng, 0.2);
  Perceptron<float> p(2);
  PerceptronOptions opt;
  opt.epochs = 200;
  opt.eta = 0.1;
  const auto h = train_perceptron(p, d.X, d.y, rng, opt);
  CHECK(h.converged_epoch > 0);
  CHECK(h.errors.size() == 200);  // no early stop unless asked
  CHECK(h.snapshots.size() == 200);
  CHECK(count_errors(p, d.X, d.y) == 0);
}

TEST_CASE("Perceptron never converges on XOR and stays near chance", "[perceptron]") {
  Rng rng(11);
  const auto d = datasets::xor_points<double>(200, rng);
  Perceptron<double> p(2);
  PerceptronOptions opt;
  opt.epochs = 100;
  const auto h = train_perceptron(p, d.X, d.y, rng, opt);
  CHECK(h.converged_epoch == 0);
  CHECK(h.best_errors > 200 / 4);          // no line gets much more than 2/3 of XOR right
  CHECK(h.errors.back() > 200 / 4);
  CHECK(h.updates > 100 * 200 / 4);        // it keeps making mistakes, epoch after epoch
}

TEST_CASE("train_perceptron applies a given update rule to every visit", "[perceptron]") {
  Rng rng(5);
  const auto d = datasets::linearly_separable<double>(30, rng, 0.1);
  Perceptron<double> p(2);
  std::size_t calls = 0;
  PerceptronOptions opt;
  opt.epochs = 3;
  const auto h = train_perceptron<double>(p, d.X, d.y, rng, opt,
                                          [&](Perceptron<double>&, const Tensor1<double>&, int, double) { ++calls; });
  CHECK(calls == 90);
  CHECK(p.w(0) == 0.0);  // a rule that does nothing learns nothing
  CHECK(h.converged_epoch == 0);
  CHECK(h.mistakes.front() == h.errors.front());  // with frozen weights, every visit to a wrong example counts
}

TEST_CASE("Novikoff's bound by hand", "[perceptron]") {
  // Two points at distance 1 from the line x = 0; augmented radius sqrt(1 + 1).
  const Tensor2<double> X = {{1, 0}, {-1, 0}};
  const Labels y = {1, 0};
  const NovikoffBound nb = novikoff_bound(X, y, Tensor1<double>{2, 0}, 0.0);  // the scale does not matter
  CHECK(nb.radius == Approx(std::sqrt(2.0)));
  CHECK(nb.margin == Approx(1.0));
  CHECK(nb.bound == Approx(2.0));
}

TEST_CASE("Perceptron functions reject bad input, naming it", "[perceptron][errors]") {
  Perceptron<double> p(2);
  REQUIRE_THROWS_AS(p.score(Tensor1<double>{1, 2, 3}), ShapeError);
  REQUIRE_THROWS_WITH(p.score(Tensor1<double>{1, 2, 3}), Catch::Contains("(3,)") && Catch::Contains("(2,)"));
  Rng rng(1);
  const Tensor2<double> X3 = xt::zeros<double>({4, 3});
  const Labels y4 = {0, 1, 0, 1};
  REQUIRE_THROWS_WITH(train_perceptron(p, X3, y4, rng, PerceptronOptions{}),
                      Catch::Contains("train_perceptron") && Catch::Contains("(4, 3)") && Catch::Contains("(N, 2)"));
  const Tensor2<double> X2 = xt::zeros<double>({4, 2});
  REQUIRE_THROWS_WITH(train_perceptron(p, X2, Labels{0, 1, 2, 1}, rng, PerceptronOptions{}),
                      Catch::Contains("label 2"));
  PerceptronOptions bad;
  bad.eta = 0;
  REQUIRE_THROWS_AS(train_perceptron(p, X2, y4, rng, bad), ValueError);
  // a hyperplane that does not separate the data gives no bound
  const Tensor2<double> X = {{1, 0}, {-1, 0}};
  REQUIRE_THROWS_WITH(novikoff_bound(X, Labels{1, 0}, Tensor1<double>{-1, 0}, 0.0),
                      Catch::Contains("does not separate example 0"));
  REQUIRE_THROWS_AS(novikoff_bound(X, Labels{1, 0}, Tensor1<double>{1, 0, 0}, 0.0), ShapeError);
}
