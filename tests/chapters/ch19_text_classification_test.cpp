// ch19_text_classification: the quick run trains the four readers on 3,000 words and word
// vectors on 6,000 glosses, reports every figure and draws every plot; --word asks the saved
// readers; the same seed gives the same figures; bad flags and missing data fail clearly.
#include <catch2/catch.hpp>

#include "dlcore/io/npy.hpp"
#include "support/chapter.hpp"

namespace fs = std::filesystem;

TEST_CASE("ch19 --quick trains the four readers and word vectors and writes every output", "[ch19]") {
  const auto m = testing::quick_metrics("ch19_text_classification");
  for (const char* r : {"gru", "lstm", "cnn", "attention"}) {
    INFO(r);
    const double acc = m[std::string(r) + "_test_accuracy"].get<double>();
    CHECK(acc > 0.3);  // 2,400 training words, one epoch: better than chance (0.2)
    CHECK(acc <= 1.0);
    CHECK(m[std::string(r) + "_best_epoch"] == 1);
  }
  // Embedding(V, 32) + GRU(32 -> 128) + Linear(128 -> 5); V = characters + padding + unknown
  const long long V = m["gru_num_params"].get<long long>() - (3 * 128 * (32 + 128) + 2 * 3 * 128 + 645);
  CHECK(V % 32 == 0);
  CHECK(V / 32 >= 30);
  CHECK(m["attention_num_params"] == m["gru_num_params"].get<long long>() + 128);  // the query
  CHECK(m["embedding_pca_explained"].get<double>() > 0.0);
  CHECK(m["w2v_glosses"] == 6000);
  CHECK(m["w2v_vocab"].get<int>() > 500);
  CHECK(m["w2v_final_loss"].get<double>() > 0.0);
  CHECK(m["exercise_skipgram_matches"] == true);
  testing::require_outputs("ch19_text_classification",
                           {"accuracy_by_length.svg", "accuracy_by_length.csv", "val_accuracy.svg",
                            "confusion_gru.svg", "embedding_pca.svg", "embedding_pca_letters.csv",
                            "attention_weights.svg", "word_vectors.npy", "word_vectors_vocab.txt",
                            "word_neighbours.txt", "word_vectors_pca.svg", "char_vocab.txt", "gru.npz",
                            "lstm.npz", "cnn.npz", "attention.npz", "metrics.json"});
  // the saved vectors have one row per word of the vocabulary
  const auto vectors = dl::load_npy<float, 2>(testing::chapter_out("ch19_text_classification", "quick") / "word_vectors.npy");
  CHECK(vectors.shape(0) == m["w2v_vocab"].get<std::size_t>());
  CHECK(vectors.shape(1) == 32);

  // --word asks every saved reader about one word
  const auto r = testing::run_chapter_in("ch19_text_classification", testing::chapter_out("ch19_text_classification", "quick"),
                                         "--word Straße");
  INFO(r.output);
  CHECK(r.status == 0);
  for (const char* s : {"english", "german", "gru", "lstm", "cnn", "attention"}) CHECK_THAT(r.output, Catch::Contains(s));
}

TEST_CASE("ch19 is reproducible: the same seed gives the same figures", "[ch19]") {
  const auto a = testing::quick_metrics("ch19_text_classification", "--seed 5 --readers gru,cnn");
  const auto b = testing::quick_metrics("ch19_text_classification", "--seed 5 --readers gru,cnn");
  testing::require_same_values(a, b, {"gru_test_accuracy", "gru_test_loss", "cnn_test_accuracy", "cnn_test_loss",
                                      "w2v_final_loss", "w2v_analogies_top5"});
}

TEST_CASE("ch19 fails clearly on bad flags, missing data and a missing model", "[ch19][errors]") {
  testing::require_missing_data_error("ch19_text_classification");
  testing::require_rejects("ch19_text_classification", "--readers gru,rnn", "--readers");
  testing::require_rejects("ch19_text_classification", "--per-language 0", "--per-language");
  testing::require_rejects("ch19_text_classification", "--w2v-dim 0", "--w2v-dim");
  testing::require_rejects("ch19_text_classification", "--quick --readers cnn --wordnet /nonexistent", "/nonexistent");
  testing::require_rejects("ch19_text_classification", "--word hello", "run ch19_text_classification once");
  testing::require_help_lists("ch19_text_classification", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                           "--readers", "--word", "--wordnet", "--w2v-epochs"});
}
