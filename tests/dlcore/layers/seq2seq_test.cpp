// The encoder-decoder of Chapter 20: every parameter gradient of the whole model (embeddings,
// encoder, decoder through its initial state, attention, output layer) against central
// differences, for each attention kind, with sources and targets of different lengths; greedy
// decoding agrees with the teacher-forced pass fed its own outputs.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rows.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/models/seq2seq.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
const Tensor2<double> kSrc = {{2, 3, 4, 5, 6}, {7, 2, 0, 0, 0}, {3, 3, 5, 2, 0}};
const Lengths kSrcLengths{5, 2, 4};
const Tensor2<double> kTgtIn = {{1, 6, 5, 4}, {1, 2, 7, 0}, {1, 2, 5, 3}};
const Lengths kTgtLengths{4, 3, 4};

Seq2Seq<double> small_model(AttentionKind kind, std::uint64_t seed) {
  Rng rng(seed);
  return Seq2Seq<double>(kind, {8, 8, 3, 5, 4}, rng);
}
}  // namespace

TEST_CASE("Seq2Seq backward matches central differences for every parameter", "[seq2seq][gradcheck]") {
  for (AttentionKind kind : {AttentionKind::none, AttentionKind::additive, AttentionKind::dot}) {
    INFO("attention " << to_string(kind));
    Seq2Seq<double> m = small_model(kind, 11);
    Seq2Seq<double>::Cache cache;
    const Tensor2<double> logits = m.forward(kSrc, kSrcLengths, kTgtIn, kTgtLengths, cache);
    REQUIRE(logits.shape(0) == 4 * 3);
    REQUIRE(logits.shape(1) == 8);
    const Tensor2<double> R = testing::random_like(logits, 5);
    auto objective = [&] {
      Seq2Seq<double>::Cache c;
      const Tensor2<double> y = m.forward(kSrc, kSrcLengths, kTgtIn, kTgtLengths, c);
      double s = 0;
      for (std::size_t i = 0; i < y.size(); ++i) s += R.data()[i] * y.data()[i];
      return s;
    };
    zero_grad(m.params());
    m.backward(R, cache);
    for (const auto& p : m.params()) {
      if (p.name == "key_proj.b") {
        // Adding b to every key adds q_t . b to every score of query t, which the softmax
        // ignores: this bias gets no gradient at all (up to rounding).
        for (std::size_t i = 0; i < p.size(); ++i) CHECK(std::abs(p.grad[i]) < 1e-12);
        continue;
      }
      testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
    }
  }
}

TEST_CASE("Seq2Seq greedy decoding equals the teacher-forced pass fed its own outputs", "[seq2seq]") {
  for (AttentionKind kind : {AttentionKind::none, AttentionKind::additive, AttentionKind::dot}) {
    INFO("attention " << to_string(kind));
    const Seq2Seq<double> m = small_model(kind, 12);
    Tensor3<double> w;
    const Tensor2<double> ids = m.greedy(kSrc, kSrcLengths, 4, 1, &w);
    REQUIRE(ids.shape(0) == 3);
    REQUIRE(ids.shape(1) == 4);
    Tensor2<double> tgt_in = Tensor2<double>::from_shape({3, 4});
    for (std::size_t n = 0; n < 3; ++n) {
      tgt_in(n, 0) = 1;
      for (std::size_t t = 1; t < 4; ++t) tgt_in(n, t) = ids(n, t - 1);
    }
    Seq2Seq<double>::Cache cache;
    const Labels best = argmax_rows(m.forward(kSrc, kSrcLengths, tgt_in, {}, cache));
    for (std::size_t t = 0; t < 4; ++t)
      for (std::size_t n = 0; n < 3; ++n) CHECK(double(best(t * 3 + n)) == ids(n, t));
    if (kind != AttentionKind::none) {  // weights: a distribution over each source's own positions
      for (std::size_t n = 0; n < 3; ++n)
        for (std::size_t t = 0; t < 4; ++t) {
          double sum = 0;
          for (std::size_t s = 0; s < 5; ++s) sum += w(n, t, s);
          CHECK(sum == Approx(1.0));
          for (std::size_t s = kSrcLengths[n]; s < 5; ++s) CHECK(w(n, t, s) == 0.0);
        }
    }
  }
}

TEST_CASE("Seq2Seq refuses mismatched batches and unknown attention names", "[seq2seq][errors]") {
  const Seq2Seq<double> m = small_model(AttentionKind::additive, 13);
  Seq2Seq<double>::Cache cache;
  CHECK_THROWS_WITH(m.forward(kSrc, kSrcLengths, Tensor2<double>(xt::ones<double>({2, 4})), {}, cache),
                    Catch::Contains("(3, 5)") && Catch::Contains("(2, 4)"));
  CHECK_THROWS_WITH(parse_attention("bahdanau"), Catch::Contains("none, additive or dot"));
  CHECK_THROWS_AS(m.greedy(kSrc, kSrcLengths, 0, 1), ValueError);
}
