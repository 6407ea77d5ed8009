#pragma once
// Chapter 19's readers: the word data as datasets of character ids, and one training run per
// model (Adam, the epoch with the best validation accuracy kept), evaluated on the test words.
#include <dlcore/dlcore.hpp>
#include <datasets/words.hpp>

namespace ch19 {

using namespace dl;

// The words of the five languages, encoded for dl::Embedding: X (N, 20) character ids, the
// length of every word, its language.
struct WordData {
  datasets::WordLanguages words;
  Dataset<Tensor2<float>> train, val, test;
  std::size_t vocab() const { return words.vocab.size(); }
};

inline WordData load_words(const std::filesystem::path& dict_dir, std::size_t per_language) {
  WordData d;
  d.words = datasets::load_word_languages(dict_dir, /*seed=*/0, per_language);
  d.train = datasets::encode_words<float>(d.words.train, d.words.vocab);
  d.val = datasets::encode_words<float>(d.words.val, d.words.vocab);
  d.test = datasets::encode_words<float>(d.words.test, d.words.vocab);
  return d;
}

struct Recipe {
  std::size_t emb = 32, hidden = 128, channels = 128, kernel = 3, batch = 128;
  float lr = 2e-3f;
  int epochs = 10;
  bool progress = true;
};

// One trained reader and what the chapter reports about it.
struct Reader {
  std::string name;
  Sequential<float> net;
  History history;
  int best_epoch = 0;
  double val_accuracy = 0, test_accuracy = 0, test_loss = 0;
  Tensor2<float> probs;  // softmax over the languages, one row per test word
  Labels predicted;
};

//! [train_reader]
// Adam on mini-batches of words, each batch's lengths passed to the layers (masking); after
// every epoch the validation accuracy, and at the end the parameters of the best epoch back.
inline Reader train_reader(const std::string& name, Sequential<float> net, const WordData& d,
                           const Recipe& r, Rng& rng) {
  Reader out;
  out.name = name;
  out.net = std::move(net);
  Adam<float> adam(r.lr);
  EarlyStopping<float> best(out.net, Monitor::val_accuracy, /*patience=*/r.epochs);
  FitOptions fo;
  fo.epochs = r.epochs;
  fo.batch_size = r.batch;
  fo.progress = r.progress;
  fo.lengths = &d.train.lengths;  // each word's own length
  fo.on_epoch_end = best.hook();
  out.history = fit(out.net, SoftmaxCrossEntropy<float>{}, adam, d.train.X, d.train.y, rng, fo, &d.val);
  best.restore_best();
  out.best_epoch = best.best_epoch();
  out.val_accuracy = best.best_value();
  const Tensor2<float> logits = predict(out.net, d.test.X, 512, &d.test.lengths);
  out.probs = softmax_rows(logits);
  out.predicted = argmax_rows(logits);
  out.test_accuracy = accuracy(out.predicted, d.test.y);
  SoftmaxCrossEntropy<float>::Cache cache;
  out.test_loss = double(SoftmaxCrossEntropy<float>{}.forward(logits, d.test.y, cache));
  fmt::print("{}: test accuracy {:.4f} (best validation {:.4f} after epoch {}), {:.1f} s per epoch\n", name,
             out.test_accuracy, out.val_accuracy, out.best_epoch,
             out.history.seconds / double(out.history.epochs.size()));
  return out;
}
//! [train_reader]

inline bool has_reader(const std::vector<Reader>& readers, const std::string& name) {
  return std::any_of(readers.begin(), readers.end(), [&](const Reader& r) { return r.name == name; });
}

// Word -> ids (1, T) and its length, for one word typed by the reader.
inline std::pair<Tensor2<float>, Lengths> encode_one(const std::u32string& word, const datasets::CharVocab& vocab) {
  datasets::WordSet s;
  s.words = {word};
  s.labels = {0};
  auto d = datasets::encode_words<float>(s, vocab, std::max<std::size_t>(word.size(), 1));
  return {d.X, d.lengths};
}

}  // namespace ch19
