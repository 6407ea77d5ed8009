// Skip-gram with negative sampling: the loss by hand, its gradient against central differences,
// the SGD step against the gradient, the noise distribution, training that separates two
// topics, nearest neighbours and analogies on vectors built by hand; PCA on a known ellipse.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/models/word2vec.hpp"
#include "dlcore/train/pca.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
}  // namespace

TEST_CASE("The skip-gram loss is -log sigma(u_o.v_c) - sum log sigma(-u_k.v_c)", "[word2vec]") {
  Rng rng(1);
  SkipGram<double> sg(4, 2, rng);
  sg.W_in = {{1, 0}, {0, 0}, {0, 0}, {0, 0}};
  sg.W_out = {{0, 0}, {2, 1}, {-1, 3}, {0.5, 0.5}};
  const double expected = -std::log(sigmoid(2)) - std::log(sigmoid(1)) - 2 * std::log(sigmoid(-0.5));
  CHECK(sg.loss(0, 1, {2, 3, 3}) == Approx(expected).epsilon(1e-14));
  CHECK_THROWS_AS(sg.loss(0, 4, {}), ValueError);
  CHECK_THROWS_AS(sg.loss(0, 1, {7}), ValueError);
}

TEST_CASE("The skip-gram gradient matches central differences", "[word2vec][gradcheck]") {
  Rng rng(2);
  SkipGram<double> sg(6, 5, rng);
  for (auto& w : sg.W_in) w = rng.normal();
  for (auto& w : sg.W_out) w = rng.normal();
  // the centre word also among the negatives, a negative drawn twice
  for (const std::vector<std::size_t>& negs : {std::vector<std::size_t>{2, 3, 4}, {3, 3, 1, 5}}) {
    Tensor2<double> dW_in = xt::zeros<double>({6, 5}), dW_out = xt::zeros<double>({6, 5});
    sg.backward(1, 0, negs, dW_in, dW_out);
    auto objective = [&] { return sg.loss(1, 0, negs); };
    testing::require_gradient("dW_in", sg.W_in.data(), dW_in.data(), sg.W_in.size(), objective);
    testing::require_gradient("dW_out", sg.W_out.data(), dW_out.data(), sg.W_out.size(), objective);
  }
}

TEST_CASE("One SGD step moves every touched row by -lr times its gradient", "[word2vec]") {
  Rng rng(3);
  SkipGram<double> sg(5, 4, rng);
  for (auto& w : sg.W_out) w = rng.normal();
  const std::vector<std::size_t> negs = {2, 4};
  Tensor2<double> dW_in = xt::zeros<double>({5, 4}), dW_out = xt::zeros<double>({5, 4});
  const double l = sg.backward(0, 1, negs, dW_in, dW_out);
  SkipGram<double> stepped = sg;
  std::vector<double> work(4);
  CHECK(stepped.sgd_step(0, 1, negs.data(), negs.size(), 0.1, work.data()) == Approx(l));
  CHECK(xt::allclose(stepped.W_in, sg.W_in - 0.1 * dW_in, 1e-12, 1e-14));
  CHECK(xt::allclose(stepped.W_out, sg.W_out - 0.1 * dW_out, 1e-12, 1e-14));
}

TEST_CASE("Noise words follow the unigram counts to the power 3/4", "[word2vec]") {
  const NoiseSampler noise({81, 16, 1, 0});
  const double z = 27 + 8 + 1;  // 81^0.75, 16^0.75, 1
  CHECK(noise.probability(0) == Approx(27 / z));
  CHECK(noise.probability(2) == Approx(1 / z));
  CHECK(noise.probability(3) == 0);
  Rng rng(4);
  std::vector<int> hits(4, 0);
  for (int i = 0; i < 36000; ++i) ++hits[noise.draw(rng)];
  CHECK(hits[0] == Approx(27000).epsilon(0.03));
  CHECK(hits[3] == 0);
  CHECK_THROWS_AS(NoiseSampler({0, 0}), ValueError);
}

TEST_CASE("Skip-gram training puts words of the same contexts together", "[word2vec]") {
  // two topics that never share a sentence: words 0-3 and words 4-7
  Rng data(5);
  std::vector<std::vector<std::int32_t>> sentences;
  std::vector<std::uint64_t> counts(8, 0);
  for (int s = 0; s < 400; ++s) {
    std::vector<std::int32_t> sent;
    const std::int32_t base = s % 2 ? 4 : 0;
    for (int i = 0; i < 8; ++i) sent.push_back(base + std::int32_t(data.below(4)));
    for (auto w : sent) ++counts[std::size_t(w)];
    sentences.push_back(sent);
  }
  Rng rng(6);
  SkipGram<double> sg(8, 10, rng);
  SkipGramOptions opt;
  opt.window = 2;
  opt.negatives = 3;
  opt.epochs = 5;
  opt.subsample = 0;
  opt.progress = false;
  const SkipGramHistory h = train_skipgram(sg, sentences, counts, opt, rng);
  REQUIRE(h.epoch_loss.size() == 5);
  CHECK(h.epoch_loss.back() < h.epoch_loss.front());
  const Tensor2<double> unit = unit_rows(sg.W_in);
  const std::vector<double> q(unit.data(), unit.data() + 10);  // word 0
  const auto near = nearest_rows(unit, q, 3, {0});
  for (const auto& [w, cos] : near) CHECK(w < 4);  // its three topic mates come first
  CHECK_THROWS_AS(train_skipgram(sg, {{0, 9}}, counts, opt, rng), ValueError);
}

TEST_CASE("Nearest rows and analogies by cosine on vectors built by hand", "[word2vec]") {
  // man, king, woman, queen, apple: king - man + woman = queen exactly
  const Tensor2<double> W = {{1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}, {-1, -1, 0}};
  const Tensor2<double> unit = unit_rows(W);
  CHECK(std::sqrt(unit(1, 0) * unit(1, 0) + unit(1, 1) * unit(1, 1)) == Approx(1));
  const auto a = analogy(unit, 0, 1, 2, 2);
  CHECK(a[0].first == 3);
  const auto n = nearest_rows(unit, std::vector<double>{1, 0.1, 0}, 2);
  CHECK(n[0].first == 0);
  CHECK(n[1].first == 1);
  CHECK_THROWS_AS(nearest_rows(unit, std::vector<double>{1, 0}, 2), ShapeError);
}

TEST_CASE("PCA finds the axes of an ellipse and their variances", "[pca]") {
  // points on an ellipse with semi-axes 3 and 1, rotated by 30 degrees, centred at (5, -2)
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  Tensor2<double> X = Tensor2<double>::from_shape({360, 2});
  for (int i = 0; i < 360; ++i) {
    const double a = 3 * std::cos(i * M_PI / 180), b = std::sin(i * M_PI / 180);
    X(i, 0) = 5 + c * a - s * b;
    X(i, 1) = -2 + s * a + c * b;
  }
  const Pca p = pca(X, 2);
  CHECK(p.mean(0) == Approx(5));
  CHECK(p.variance[0] == Approx(4.5));  // a^2 / 2 for points around the ellipse
  CHECK(p.variance[1] == Approx(0.5));
  CHECK(p.total_variance == Approx(5.0));
  CHECK(p.components(0, 0) == Approx(c));
  CHECK(p.components(0, 1) == Approx(s));
  const Tensor2<double> P = p.project(X);
  CHECK(P(0, 0) == Approx(3));
  CHECK(P(0, 1) == Approx(0).margin(1e-9));
  CHECK_THROWS_AS(pca(X, 3), ValueError);
}
