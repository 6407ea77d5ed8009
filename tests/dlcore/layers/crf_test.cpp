// The linear-chain CRF: a path score worked by hand; the forward algorithm, the marginals and
// Viterbi against brute-force enumeration of all K^L tag paths; the negative log-likelihood's
// gradient against central differences (ragged lengths) and against PyTorch's autograd of
// the same formula; log space survives huge scores; forbidden (-inf) transitions; with zero
// transitions it is the per-step softmax tagger; a BiLSTM-CRF model checked end to end; bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "dlcore/layers/bidirectional.hpp"
#include "dlcore/layers/crf.hpp"
#include "dlcore/layers/flatten_steps.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/sequence_cross_entropy.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::random_tensor;

namespace {

using Shape3 = std::array<std::size_t, 3>;

LinearChainCRF<double> random_crf(std::size_t K, std::uint64_t seed) {
  LinearChainCRF<double> crf(K);
  crf.A = random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{K, K}, seed);
  crf.start = random_tensor<Tensor1<double>>(std::array<std::size_t, 1>{K}, seed + 1);
  crf.end = random_tensor<Tensor1<double>>(std::array<std::size_t, 1>{K}, seed + 2);
  return crf;
}

// Every tag path of length L over K tags, in lexicographic order, as (1, T) rows padded to T.
std::vector<Tags> all_paths(std::size_t L, std::size_t K, std::size_t T) {
  std::vector<Tags> paths;
  std::vector<std::int32_t> y(L, 0);
  while (true) {
    Tags row = Tags::from_shape({1, T});
    row.fill(0);
    for (std::size_t t = 0; t < L; ++t) row(0, t) = y[t];
    paths.push_back(row);
    std::size_t t = L;
    while (t > 0 && std::size_t(++y[t - 1]) == K) y[--t] = 0;  // the next path, like an odometer
    if (t == 0) break;
  }
  return paths;
}

// Sequence n of a (T, N, K) batch as a (T, 1, K) batch.
Tensor3<double> column(const Tensor3<double>& e, std::size_t n) {
  Tensor3<double> c = Tensor3<double>::from_shape({e.shape(0), 1, e.shape(2)});
  for (std::size_t t = 0; t < e.shape(0); ++t)
    for (std::size_t k = 0; k < e.shape(2); ++k) c(t, 0, k) = e(t, n, k);
  return c;
}

// log Z, the best path, and the marginals of sequence n by enumerating every path.
struct BruteForce {
  double log_z = 0;
  std::vector<std::int32_t> best;
  Tensor2<double> marginals;  // (L, K)
};
BruteForce brute_force(const LinearChainCRF<double>& crf, const Tensor3<double>& e, std::size_t n, std::size_t L) {
  const std::size_t K = crf.num_tags(), T = e.shape(0);
  const Tensor3<double> en = column(e, n);
  const Lengths len{L};
  const auto paths = all_paths(L, K, T);
  std::vector<double> scores;
  for (const auto& p : paths) scores.push_back(crf.score(en, p, &len)[0]);
  const double m = *std::max_element(scores.begin(), scores.end());
  double z = 0;
  for (double s : scores) z += std::exp(s - m);
  BruteForce b;
  b.log_z = m + std::log(z);
  const std::size_t arg = std::size_t(std::max_element(scores.begin(), scores.end()) - scores.begin());
  for (std::size_t t = 0; t < L; ++t) b.best.push_back(paths[arg](0, t));
  b.marginals = xt::zeros<double>({L, K});
  for (std::size_t i = 0; i < paths.size(); ++i)
    for (std::size_t t = 0; t < L; ++t) b.marginals(t, std::size_t(paths[i](0, t))) += std::exp(scores[i] - b.log_z);
  return b;
}

}  // namespace

TEST_CASE("CRF path score by hand: start + emissions + transitions + end", "[crf]") {
  LinearChainCRF<double> crf(2);
  crf.A = {{0.5, -1.0}, {2.0, 0.25}};
  crf.start = {0.1, -0.2};
  crf.end = {0.3, 0.7};
  // one sequence of 3 steps: E = [[1, 2], [3, 4], [5, 6]], path 1 0 1
  const Tensor3<double> e = {{{1, 2}}, {{3, 4}}, {{5, 6}}};
  Tags y = {{1, 0, 1}};
  // start[1] + E[0,1] + A[1,0] + E[1,0] + A[0,1] + E[2,1] + end[1] = -0.2 + 2 + 2 + 3 - 1 + 6 + 0.7
  CHECK(crf.score(e, y, nullptr)[0] == Approx(12.5).epsilon(1e-14));
  // length 1: only start, one emission and end
  const Lengths one{1};
  CHECK(crf.score(e, y, &one)[0] == Approx(-0.2 + 2 + 0.7).epsilon(1e-14));
  // with 2 tags and one step, Z sums two paths
  CHECK(crf.log_partition(e, &one)[0] == Approx(std::log(std::exp(0.1 + 1 + 0.3) + std::exp(-0.2 + 2 + 0.7))).epsilon(1e-14));
}

TEST_CASE("CRF log-partition, marginals and Viterbi equal brute-force enumeration of all tag paths", "[crf][bruteforce]") {
  for (const auto& [K, T, seed] : std::vector<std::tuple<std::size_t, std::size_t, std::uint64_t>>{{3, 5, 1}, {4, 4, 2}, {2, 7, 3}}) {
    const LinearChainCRF<double> crf = random_crf(K, seed);
    const Lengths lengths{T, 3, 1, T - 1};
    const Tensor3<double> e = random_tensor<Tensor3<double>>(Shape3{T, 4, K}, seed + 10, 1.5);
    const auto log_z = crf.log_partition(e, &lengths);
    const Tags best = crf.decode(e, &lengths);
    const Tensor3<double> p = crf.marginals(e, &lengths);
    for (std::size_t n = 0; n < 4; ++n) {
      INFO("K " << K << ", sequence " << n << " of length " << lengths[n]);
      const BruteForce b = brute_force(crf, e, n, lengths[n]);
      CHECK(log_z[n] == Approx(b.log_z).epsilon(1e-12));
      for (std::size_t t = 0; t < T; ++t) {
        CHECK(best(n, t) == (t < lengths[n] ? b.best[t] : -1));
        for (std::size_t k = 0; k < K; ++k)
          CHECK(p(t, n, k) == Approx(t < lengths[n] ? b.marginals(t, k) : 0.0).margin(1e-12));
      }
    }
  }
}

TEST_CASE("CRF negative log-likelihood: value from brute force, gradient by central differences (ragged)", "[crf][gradcheck]") {
  LinearChainCRF<double> crf = random_crf(4, 5);
  const Lengths lengths{5, 2, 1, 4};
  Tensor3<double> e = random_tensor<Tensor3<double>>(Shape3{5, 4, 4}, 6, 1.5);
  Tags y = {{0, 3, 1, 1, 2}, {2, 2, -1, -1, -1}, {3, -1, -1, -1, -1}, {1, 0, 0, 3, -1}};
  LinearChainCRF<double>::Cache cache;
  const double loss = crf.forward(e, y, &lengths, cache);
  double want = 0;
  const auto s = crf.score(e, y, &lengths);
  for (std::size_t n = 0; n < 4; ++n) want += brute_force(crf, e, n, lengths[n]).log_z - s[n];
  CHECK(loss == Approx(want / 12.0).epsilon(1e-12));  // per valid step: 5 + 2 + 1 + 4
  zero_grad(crf.params());
  const Tensor3<double> de = crf.backward(cache);
  auto objective = [&] {
    LinearChainCRF<double>::Cache c;
    return crf.forward(e, y, &lengths, c);
  };
  testing::require_gradient("dE", e.data(), de.data(), e.size(), objective);
  for (const auto& p : crf.params()) testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
  for (std::size_t k = 0; k < 4; ++k) CHECK(de(4, 1, k) == 0.0);  // padded steps get nothing
  // a second backward accumulates
  const Tensor2<double> once = crf.dA;
  crf.backward(cache);
  CHECK(crf.dA(1, 2) == Approx(2 * once(1, 2)).epsilon(1e-14));
}

TEST_CASE("CRF negative log-likelihood and its gradients equal PyTorch autograd of the forward algorithm", "[crf][golden]") {
  const std::string name = "crf_ragged";
  LinearChainCRF<double> crf(golden<double, 2>(name, "A").shape(0));
  crf.A = golden<double, 2>(name, "A");
  crf.start = golden<double, 1>(name, "start");
  crf.end = golden<double, 1>(name, "end");
  Lengths lengths;
  for (auto v : golden<std::int64_t, 1>(name, "lengths")) lengths.push_back(std::size_t(v));
  const Tags tags = golden<std::int32_t, 2>(name, "tags");
  LinearChainCRF<double>::Cache cache;
  const double loss = crf.forward(golden<double, 3>(name, "emissions"), tags, &lengths, cache);
  CHECK(loss == Approx(golden<double, 1>(name, "loss")(0)).epsilon(1e-12));
  const Tensor3<double> de = crf.backward(cache);
  testing::require_close("dE", de, golden<double, 3>(name, "demissions"));
  testing::require_close("dA", crf.dA, golden<double, 2>(name, "dA"));
  testing::require_close("dstart", crf.dstart, golden<double, 1>(name, "dstart"));
  testing::require_close("dend", crf.dend, golden<double, 1>(name, "dend"));
}

TEST_CASE("CRF in log space: scores of 1000 neither overflow nor lose the answer", "[crf]") {
  LinearChainCRF<double> crf = random_crf(3, 7);
  Tensor3<double> e = random_tensor<Tensor3<double>>(Shape3{4, 1, 3}, 8);
  e += 1000.0;  // exp(1000) overflows a double; e^(4000) times 81 paths even more so
  const double log_z = crf.log_partition(e, nullptr)[0];
  REQUIRE(std::isfinite(log_z));
  e -= 1000.0;
  CHECK(log_z - 4000.0 == Approx(crf.log_partition(e, nullptr)[0]).epsilon(1e-12));  // shifts by 4 x 1000
  CHECK(log_z - 4000.0 == Approx(brute_force(crf, e, 0, 4).log_z).epsilon(1e-12));
  float big = 100.0f;  // float: exp(100) = 2.7e43 is already beyond FLT_MAX
  LinearChainCRF<float> f(2);
  const Tensor3<float> ef = xt::ones<float>({3, 1, 2}) * big;
  CHECK(f.log_partition(ef, nullptr)[0] == Approx(300.0f + 3 * std::log(2.0f)).epsilon(1e-6));
}

TEST_CASE("CRF with forbidden (-inf) transitions: Viterbi avoids them, log Z and the gradient stay finite", "[crf]") {
  LinearChainCRF<double> crf = random_crf(3, 9);
  const double inf = std::numeric_limits<double>::infinity();
  crf.A(0, 1) = crf.A(1, 0) = -inf;
  crf.start(2) = -inf;
  Tensor3<double> e = random_tensor<Tensor3<double>>(Shape3{6, 5, 3}, 10);
  for (std::size_t t = 0; t < 6; ++t)  // the emissions alone want 0 1 0 1 0 1 (or 2 first)
    for (std::size_t n = 0; n < 5; ++n) e(t, n, t % 2) += 10.0, e(0, n, 2) += t == 0 ? 20.0 : 0.0;
  LinearChainCRF<double> free_crf = crf;
  free_crf.A.fill(0.0);
  free_crf.start.fill(0.0);
  CHECK(free_crf.decode(e, nullptr)(0, 0) == 2);  // without the constraints: a forbidden start ...
  CHECK(free_crf.decode(e, nullptr)(0, 2) == 0);  // ... and 0 -> 1 -> 0
  CHECK(free_crf.decode(e, nullptr)(0, 3) == 1);
  const Tags best = crf.decode(e, nullptr);
  for (std::size_t n = 0; n < 5; ++n) {
    CHECK(best(n, 0) != 2);
    for (std::size_t t = 1; t < 6; ++t) CHECK_FALSE(((best(n, t - 1) == 0 && best(n, t) == 1) || (best(n, t - 1) == 1 && best(n, t) == 0)));
  }
  Tags y = best;
  LinearChainCRF<double>::Cache cache;
  const double loss = crf.forward(e, y, nullptr, cache);
  CHECK(std::isfinite(loss));
  const Tensor3<double> de = crf.backward(cache);
  for (double v : de) CHECK(std::isfinite(v));
  const Tensor3<double> p = crf.marginals(e, nullptr);
  for (std::size_t n = 0; n < 5; ++n) CHECK(p(0, n, 2) == 0.0);
}

TEST_CASE("A CRF with every transition score 0 is the per-step softmax tagger", "[crf]") {
  const LinearChainCRF<double> crf(5);  // A, start, end all 0
  const Lengths lengths{6, 3, 1};
  const Tensor3<double> e = random_tensor<Tensor3<double>>(Shape3{6, 3, 5}, 11, 2.0);
  Tags y = {{0, 4, 1, 1, 3, 2}, {2, 2, 0, -1, -1, -1}, {3, -1, -1, -1, -1, -1}};
  LinearChainCRF<double>::Cache cc;
  SequenceCrossEntropy<double>::Cache sc;
  const SequenceCrossEntropy<double> ce;
  CHECK(crf.forward(e, y, &lengths, cc) == Approx(ce.forward(e, y, &lengths, sc)).epsilon(1e-12));
  LinearChainCRF<double> mutable_crf = crf;
  testing::require_close("dE", mutable_crf.backward(cc), ce.backward(sc), 1e-12, 1e-14);
  CHECK(bool(crf.decode(e, &lengths) == argmax_tags(e, &lengths)));
}

TEST_CASE("BiLSTM-CRF tagger: the whole model's gradient by central differences", "[crf][gradcheck]") {
  Rng rng(12);
  Sequential<double> net;  // emissions: BiLSTM, every step through one Linear (2H -> K)
  net.add(BiLSTM<double>(3, 4, rng)).add(FlattenSteps<double>(0)).add(Linear<double>(8, 3, rng));
  net.first_input_grad = true;
  LinearChainCRF<double> crf = random_crf(3, 13);
  const Lengths lengths{4, 2, 3};
  const std::size_t T = 4, N = 3, K = 3;
  Tensor3<double> x = random_tensor<Tensor3<double>>(Shape3{T, N, 3}, 14);
  Tags y = {{0, 1, 1, 2}, {2, 0, -1, -1}, {1, 1, 0, -1}};
  const Context ctx{Mode::train, nullptr, &lengths};
  auto loss_of = [&](LinearChainCRF<double>::Cache& cache) {
    const Tensor2<double> out = net.forward2(x, ctx);  // (T N, K), step-major
    Tensor3<double> e = Tensor3<double>::from_shape({T, N, K});
    std::copy(out.begin(), out.end(), e.begin());
    return crf.forward(e, y, &lengths, cache);
  };
  LinearChainCRF<double>::Cache cache;
  loss_of(cache);
  net.zero_grad();
  zero_grad(crf.params());
  const Tensor3<double> de = crf.backward(cache);
  Tensor2<double> de2 = Tensor2<double>::from_shape({T * N, K});
  std::copy(de.begin(), de.end(), de2.begin());
  const auto dx = std::get<Tensor3<double>>(net.backward(de2));
  auto objective = [&] {
    LinearChainCRF<double>::Cache c;
    return loss_of(c);
  };
  testing::require_gradient("dX", x.data(), dx.data(), x.size(), objective);
  for (const auto& p : net.params()) testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
  for (const auto& p : crf.params()) testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
}

TEST_CASE("CRF refuses bad input, naming itself and the shapes", "[crf][errors]") {
  LinearChainCRF<double> crf(3);
  LinearChainCRF<double>::Cache cache;
  const Tensor3<double> e = xt::zeros<double>({4, 2, 3});
  Tags y = xt::zeros<std::int32_t>({2, 4});
  const Tensor3<double> wrong_k = xt::zeros<double>({4, 2, 5});
  CHECK_THROWS_WITH(crf.forward(wrong_k, y, nullptr, cache), Catch::Contains("CRF(3 tags)") && Catch::Contains("(4, 2, 5)"));
  CHECK_THROWS_AS(crf.decode(wrong_k, nullptr), ShapeError);
  Tags y_wrong = xt::zeros<std::int32_t>({4, 2});
  CHECK_THROWS_WITH(crf.forward(e, y_wrong, nullptr, cache), Catch::Contains("(4, 2)") && Catch::Contains("(2, 4)"));
  y(1, 2) = 3;
  CHECK_THROWS_WITH(crf.forward(e, y, nullptr, cache), Catch::Contains("tag 3") && Catch::Contains("sequence 1"));
  const Lengths short_len{4, 2};
  CHECK_NOTHROW(crf.forward(e, y, &short_len, cache));  // step 2 of sequence 1 is padding: not read
  const Lengths bad{4, 0};
  CHECK_THROWS_AS(crf.forward(e, y, &bad, cache), ValueError);
  const Lengths none;  // an empty vector means every sequence has all T steps, as a null pointer
  CHECK(crf.log_partition(e, &none) == crf.log_partition(e, nullptr));
  CHECK(bool(crf.decode(e, &none) == crf.decode(e, nullptr)));
  CHECK(bool(crf.marginals(e, &none) == crf.marginals(e, nullptr)));
  const Lengths three{4, 4, 4};
  CHECK_THROWS_AS(crf.log_partition(e, &three), ShapeError);
  LinearChainCRF<double> fresh(3);
  LinearChainCRF<double>::Cache unused;
  CHECK_THROWS_AS(fresh.backward(unused), ValueError);
  CHECK_THROWS_AS(LinearChainCRF<double>(0), ValueError);
}
