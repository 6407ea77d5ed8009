// ch20_attention: the quick run measures the variance argument for 1/sqrt(d), trains the three
// encoder-decoders (no attention, additive, dot-product) on the reversal task and the
// Transformer and GRU readers on the word-language data, reports every figure and draws every
// plot; the same seed gives the same figures; bad flags fail clearly.
#include <catch2/catch.hpp>

#include <cmath>

#include <fmt/format.h>

#include "support/chapter.hpp"

TEST_CASE("ch20 --quick measures the scaling, trains the three encoder-decoders and both readers", "[ch20]") {
  const auto m = testing::quick_metrics("ch20_attention");
  // q . k of N(0, 1) components: standard deviation sqrt(d) (6,400 samples per d: within 5 %)
  for (int d : {16, 64, 256}) {
    INFO("d = " << d);
    CHECK(std::abs(m[fmt::format("dot_std_d{}", d)].get<double>() / std::sqrt(double(d)) - 1.0) < 0.05);
  }
  // unscaled scores saturate the softmax as d grows; scaled ones do not (16 keys, uniform 1/16)
  CHECK(m["max_weight_d512_unscaled"].get<double>() > 0.85);
  CHECK(m["max_weight_d512_scaled"].get<double>() < 0.35);
  CHECK(m["max_weight_d2_unscaled"].get<double>() < 0.4);
  // GRU(32 -> 32) x 2 = 2 (3*32*(32+32) + 2*3*32), embeddings 2*12*32, output 32*12 + 12;
  // with attention the output reads [s; c] (64*12 + 12) plus 2 (32*64) + 2*64 attention weights
  CHECK(m["reverse_none_num_params"] == 2 * (3 * 32 * 64 + 6 * 32) + 2 * 12 * 32 + 32 * 12 + 12);
  CHECK(m["reverse_additive_num_params"] == 2 * (3 * 32 * 64 + 6 * 32) + 2 * 12 * 32 + 64 * 12 + 12 + 2 * 32 * 64 + 2 * 64);
  CHECK(m["reverse_dot_num_params"] == m["reverse_additive_num_params"]);
  CHECK(m["reverse_longest_length"] == 8);
  for (const char* k : {"none", "additive", "dot"}) {
    INFO(k);
    // 60 steps: the symbols are learned beyond chance (0.1), the sequences not yet
    const double sym = m[fmt::format("reverse_{}_L5_symbol_accuracy", k)].get<double>();
    CHECK(sym > 0.2);
    CHECK(sym <= 1.0);
    const double seq = m[fmt::format("reverse_{}_longest_sequence_accuracy", k)].get<double>();
    CHECK(seq >= 0.0);
    CHECK(seq <= 1.0);
  }
  // Transformer reader: everything but the embedding is 50,309 parameters (E 64, 4 heads, F 256, K 5)
  CHECK((m["transformer_num_params"].get<long>() - 50309) % 64 == 0);
  CHECK(m["gru_num_params"].get<long>() > 0);
  for (const char* r : {"transformer", "gru"}) {
    INFO(r);
    const double acc = m[fmt::format("{}_test_accuracy", r)].get<double>();
    CHECK(acc > 0.25);  // five languages: chance 0.2
    CHECK(acc <= 1.0);
  }
  CHECK(m["exercise_attention_backward_matches"] == true);
  testing::require_outputs("ch20_attention",
                           {"dot_variance.svg", "dot_variance.csv", "softmax_saturation.svg",
                            "reverse_accuracy_vs_length.svg", "reverse_accuracy_vs_length.csv",
                            "reverse_training_accuracy.svg", "reverse_loss.svg",
                            "reverse_attention_additive.svg", "reverse_attention_dot.svg",
                            "readers_accuracy.svg", "word_attention_schmetterling.svg",
                            "word_attention_papillon.svg", "word_attention_mariposa.svg", "metrics.json"});
}

TEST_CASE("ch20 is reproducible: the same seed gives the same figures", "[ch20]") {
  const auto a = testing::quick_metrics("ch20_attention", "--seed 5 --attention dot");
  const auto b = testing::quick_metrics("ch20_attention", "--seed 5 --attention dot");
  testing::require_same_values(a, b, {"reverse_dot_L5_symbol_accuracy", "reverse_dot_L8_symbol_accuracy",
                                      "transformer_test_accuracy", "transformer_test_loss",
                                      "gru_test_accuracy", "dot_std_d64"});
  CHECK_FALSE(a.contains("reverse_none_num_params"));  // --attention dot trains that one only
}

TEST_CASE("ch20 fails clearly on bad flags and missing data", "[ch20][errors]") {
  testing::require_missing_data_error("ch20_attention");
  testing::require_rejects("ch20_attention", "--attention bahdanau", "--attention");
  testing::require_rejects("ch20_attention", "--max-len 2", "--max-len");
  testing::require_rejects("ch20_attention", "--steps 0", "--steps");
  testing::require_rejects("ch20_attention", "--heads 3", "--heads 3");  // 64 is not a multiple of 3
  testing::require_help_lists("ch20_attention", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                 "--attention", "--steps", "--max-len", "--heads"});
}
