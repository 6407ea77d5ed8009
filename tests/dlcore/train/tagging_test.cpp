// BIO tagging figures: spans as maximal B-I runs, invalid transitions, token accuracy and
// span precision, recall and F1 worked by hand.
#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/train/tagging.hpp"

using namespace dl;

// Tags: 2 type + 0 = B-type, 2 type + 1 = I-type. Types 0 (a) and 1 (b): B-a 0, I-a 1, B-b 2, I-b 3.
TEST_CASE("bio_spans: a span is B-x with the I-x run after it, a stray I belongs to none", "[tagging]") {
  const std::vector<std::int32_t> y = {0, 1, 1, 2, 3, 0, 3, 1, 2};
  //                                   B-a I-a I-a B-b I-b B-a I-b I-a B-b
  const auto s = bio_spans(y.data(), y.size());
  REQUIRE(s.size() == 4);
  CHECK(s[0] == Span{0, 3, 0});
  CHECK(s[1] == Span{3, 5, 1});
  CHECK(s[2] == Span{5, 6, 0});  // B-a cut short by I-b: the I-b and the I-a after it are in no span
  CHECK(s[3] == Span{8, 9, 1});
  CHECK(bio_spans(y.data(), 0).empty());
}

TEST_CASE("bio_transition_valid: I-x only after B-x or I-x", "[tagging]") {
  CHECK(bio_transition_valid(-1, 0));
  CHECK_FALSE(bio_transition_valid(-1, 1));  // a sequence cannot start inside a span
  CHECK(bio_transition_valid(0, 1));
  CHECK(bio_transition_valid(1, 1));
  CHECK_FALSE(bio_transition_valid(2, 1));   // B-b I-a
  CHECK_FALSE(bio_transition_valid(3, 1));   // I-b I-a
  CHECK(bio_transition_valid(3, 0));         // B anywhere
  CHECK(bio_transition_valid(0, 2));
}

TEST_CASE("score_tagging counts tokens, spans and invalid transitions", "[tagging]") {
  // sequence 0 (length 6): truth B-a I-a I-a B-b I-b I-b; predicted B-a I-a I-b B-b I-b I-b
  // sequence 1 (length 3 of 6): truth B-b I-b I-b; predicted I-b I-b I-b (starts inside: invalid)
  const Tags truth = {{0, 1, 1, 2, 3, 3}, {2, 3, 3, -1, -1, -1}};
  const Tags pred = {{0, 1, 3, 2, 3, 3}, {3, 3, 3, 0, 0, 0}};
  const TaggingScores s = score_tagging(truth, pred, {6, 3});
  CHECK(s.tokens == 9);
  CHECK(s.correct_tokens == 7);
  CHECK(s.token_accuracy() == Approx(7.0 / 9));
  CHECK(s.true_spans == 3);
  CHECK(s.predicted_spans == 2);  // B-a I-a (wrong end) and B-b I-b I-b (right)
  CHECK(s.correct_spans == 1);
  CHECK(s.precision() == Approx(0.5));
  CHECK(s.recall() == Approx(1.0 / 3));
  CHECK(s.f1() == Approx(0.4));
  CHECK(s.invalid_transitions == 2);  // I-a -> I-b, and the start I-b
  CHECK(s.invalid_sequences == 2);
  CHECK(s.exact_sequences == 0);
  const TaggingScores same = score_tagging(truth, truth, {6, 3});
  CHECK(same.f1() == 1.0);
  CHECK(same.invalid_transitions == 0);
  CHECK(same.exact_sequences == 2);
  CHECK_THROWS_AS(score_tagging(truth, pred, {6}), ShapeError);
  CHECK_THROWS_AS(score_tagging(truth, Tags(xt::zeros<std::int32_t>({2, 5})), {}), ShapeError);
}
