// ch21_sequence_labeling: the quick run trains both taggers on a small sample, reports every
// figure and draws every plot; the same seed gives the same figures; bad flags fail clearly.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch21 --quick trains the BiLSTM-softmax and BiLSTM-CRF taggers and reports both", "[ch21]") {
  const auto m = testing::quick_metrics("ch21_sequence_labeling");
  CHECK(m["train_strings"].get<int>() > 500);  // 480 words per language in training, 2-5 per string
  CHECK(m["test_strings"].get<int>() > 60);
  for (const char* h : {"softmax", "crf"}) {
    INFO(h);
    const std::string p = h;
    const double acc = m[p + "_test_token_accuracy"].get<double>();
    CHECK(acc > 0.3);  // 10 tags; one epoch on a small sample already learns the frequent ones
    CHECK(acc <= 1.0);
    const double f1 = m[p + "_test_span_f1"].get<double>();
    CHECK(f1 >= 0.0);
    CHECK(f1 <= 1.0);
    CHECK(m[p + "_test_invalid_transitions"].get<int>() >= 0);
    CHECK(m[p + "_best_epoch"] == 1);
    CHECK(m[p + "_test_loss"].get<double>() > 0.0);
  }
  CHECK(m["crf_constrained_test_invalid_transitions"] == 0);  // Viterbi under -inf scores never takes them
  CHECK(m["crf_constrained_test_span_f1"].get<double>() > 0.0);
  // Embedding(V, 32) + BiLSTM(32 -> 2x64) + Linear(128 -> 10); the CRF adds 10 x 10 + 2 x 10
  const int V = m["vocabulary"].get<int>();
  const int encoder = V * 32 + 2 * (4 * 64 * (32 + 64) + 2 * 4 * 64) + 128 * 10 + 10;
  CHECK(m["softmax_num_params"] == encoder);
  CHECK(m["crf_num_params"] == encoder + 120);
  CHECK(m["exercise_log_partition_matches"] == true);
  CHECK(m["exercise_viterbi_matches"] == true);
  testing::require_outputs("ch21_sequence_labeling",
                           {"loss.svg", "loss.csv", "val_f1.svg", "val_invalid.svg", "transitions.svg",
                            "transitions.csv", "start_end.svg", "example_softmax.svg", "example_crf.svg",
                            "examples.txt", "metrics.json"});
}

TEST_CASE("ch21 is reproducible: the same seed gives the same figures", "[ch21]") {
  const auto a = testing::quick_metrics("ch21_sequence_labeling", "--seed 5 --model crf");
  const auto b = testing::quick_metrics("ch21_sequence_labeling", "--seed 5 --model crf");
  testing::require_same_values(a, b, {"crf_test_token_accuracy", "crf_test_span_f1", "crf_test_loss",
                                      "crf_test_invalid_transitions", "train_strings"});
  CHECK_FALSE(a.contains("softmax_test_span_f1"));  // one model only
}

TEST_CASE("ch21 fails clearly on bad flags and missing data", "[ch21][errors]") {
  testing::require_missing_data_error("ch21_sequence_labeling");
  testing::require_rejects("ch21_sequence_labeling", "--model lstm", "--model");
  testing::require_rejects("ch21_sequence_labeling", "--min-words 4 --max-words 2 --quick", "--min-words");
  testing::require_rejects("ch21_sequence_labeling", "--hidden 0", "--hidden");
  testing::require_help_lists("ch21_sequence_labeling", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                         "--model", "--hidden", "--max-words", "--threads"});
}
