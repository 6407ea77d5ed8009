#pragma once
// Chapter 19, word vectors: skip-gram with negative sampling trained on WordNet's glosses and
// examples; nearest neighbours, analogies and a PCA picture of a few words; the vectors saved
// as .npy with their vocabulary for later chapters.
#include <fstream>

#include <dlcore/dlcore.hpp>
#include <datasets/wordnet.hpp>

#include "exercise.hpp"

namespace ch19 {

using namespace dl;
namespace fs = std::filesystem;

struct WordVectorSettings {
  std::size_t dim = 100, min_count = 5, max_glosses = 0;  // 0: every synset
  SkipGramOptions sgns;
};

// Words whose neighbours the chapter prints, analogies a:b :: c:d it tries, words it draws.
inline const std::vector<std::string> kProbeWords = {"king", "france", "dog", "music", "red", "river",
                                                     "doctor", "happy", "run", "computer"};
struct Analogy {
  std::string a, b, c, d;
};
inline const std::vector<Analogy> kAnalogies = {
    {"man", "king", "woman", "queen"},      {"france", "paris", "italy", "rome"},
    {"france", "french", "germany", "german"}, {"father", "mother", "son", "daughter"},
    {"brother", "sister", "boy", "girl"},   {"good", "better", "bad", "worse"},
    {"big", "bigger", "small", "smaller"},  {"he", "his", "she", "her"}};
inline const std::vector<std::string> kPictureWords = {
    "france", "germany", "italy", "spain", "paris", "berlin", "rome", "madrid",
    "dog", "cat", "horse", "cow", "red", "green", "blue", "yellow",
    "father", "mother", "son", "daughter", "piano", "violin", "guitar", "drum"};

// The corpus, read before anything is trained (a bad --wordnet fails at once): one sentence
// per synset, its words then its gloss and examples; the words seen min_count times, as ids.
struct Corpus {
  std::size_t glosses = 0, tokens = 0;
  datasets::WordVocab vocab;
  std::vector<std::vector<std::int32_t>> ids;
};

inline Corpus load_corpus(const fs::path& wordnet_dir, const WordVectorSettings& s) {
  auto sentences = datasets::load_wordnet_glosses(wordnet_dir);
  if (s.max_glosses > 0 && sentences.size() > s.max_glosses) sentences.resize(s.max_glosses);
  Corpus c;
  c.glosses = sentences.size();
  for (const auto& t : sentences) c.tokens += t.size();
  c.vocab = datasets::WordVocab::build(sentences, s.min_count);
  c.ids = datasets::encode_sentences(sentences, c.vocab);
  fmt::print("word2vec corpus: {} WordNet glosses, {} tokens, {} words seen at least {} times\n", c.glosses,
             c.tokens, c.vocab.size(), s.min_count);
  return c;
}

inline void word_vectors(const fs::path& out, const Corpus& corpus, const WordVectorSettings& s,
                         std::uint64_t seed, nlohmann::json& m) {
  Stopwatch clock;
  const auto& vocab = corpus.vocab;
  const auto& ids = corpus.ids;
  // ---- Skip-gram with negative sampling
  //! [word2vec]
  Rng rng(seed);
  SkipGram<float> sg(vocab.size(), s.dim, rng);
  const SkipGramHistory h = train_skipgram(sg, ids, vocab.counts, s.sgns, rng);
  //! [word2vec]
  fmt::print("word2vec: {} examples in {:.1f} s, loss {:.4f} in the last epoch\n", h.examples, h.seconds,
             h.epoch_loss.back());

  // ---- Saved for later chapters: the vectors (V, E) and their words, row by row
  save_npy(out / "word_vectors.npy", sg.W_in);
  {
    std::ofstream f(out / "word_vectors_vocab.txt");
    for (const auto& w : vocab.words) f << w << '\n';
  }

  // ---- Nearest neighbours by cosine similarity
  const Tensor2<float> unit = unit_rows(sg.W_in);
  std::ofstream table(out / "word_neighbours.txt");
  for (const auto& w : kProbeWords) {
    const std::int32_t id = vocab.id(w);
    if (id < 0) continue;
    const std::vector<float> q(unit.data() + std::size_t(id) * s.dim, unit.data() + (std::size_t(id) + 1) * s.dim);
    std::string line = w + ":";
    for (const auto& [j, cos] : nearest_rows(unit, q, 6, {std::size_t(id)}))
      line += fmt::format(" {} ({:.2f})", vocab.words[j], cos);
    fmt::print("  {}\n", line);
    table << line << '\n';
  }

  // ---- Analogies by vector arithmetic: b - a + c
  std::size_t tried = 0, top1 = 0, top5 = 0;
  for (const auto& an : kAnalogies) {
    const std::int32_t a = vocab.id(an.a), b = vocab.id(an.b), c = vocab.id(an.c), d = vocab.id(an.d);
    if (a < 0 || b < 0 || c < 0 || d < 0) continue;
    const auto best = analogy(unit, std::size_t(a), std::size_t(b), std::size_t(c), 5);
    ++tried;
    top1 += best[0].first == std::size_t(d);
    bool in5 = false;
    std::string guesses;
    for (const auto& [j, cos] : best) in5 = in5 || j == std::size_t(d), guesses += " " + vocab.words[j];
    top5 += in5;
    const std::string line = fmt::format("{} : {} :: {} : ? -> {} (expected {})", an.a, an.b, an.c, guesses, an.d);
    fmt::print("  {}\n", line);
    table << line << '\n';
  }

  // ---- A picture: a few words' vectors projected on their first two principal components
  std::vector<std::string> shown;
  std::vector<std::size_t> rows;
  for (const auto& w : kPictureWords)
    if (const std::int32_t id = vocab.id(w); id >= 0) shown.push_back(w), rows.push_back(std::size_t(id));
  if (rows.size() >= 3) {
    Tensor2<double> X = Tensor2<double>::from_shape({rows.size(), s.dim});
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t e = 0; e < s.dim; ++e) X(i, e) = double(unit(rows[i], e));
    const Tensor2<double> P = pca(X, 2).project(X);
    plot::Figure fig("Word vectors from WordNet glosses (skip-gram), first two principal components",
                     "principal component 1", "principal component 2");
    fig.size(820, 640).raw("set grid").key("off");
    std::vector<double> xs, ys;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      xs.push_back(P(i, 0));
      ys.push_back(P(i, 1));
      fig.raw(fmt::format("set label \"{}\" at {},{} offset 0.6,0.4 font 'sans,11' noenhanced", shown[i], P(i, 0), P(i, 1)));
    }
    fig.points("words", xs, ys, "pt 7 ps 0.9 lc rgb '#1b9e77'");
    fig.save(out / "word_vectors_pca.svg");
  }
  m["w2v_glosses"] = corpus.glosses;
  m["w2v_tokens"] = corpus.tokens;
  m["w2v_vocab"] = vocab.size();
  m["w2v_dim"] = s.dim;
  m["w2v_epochs"] = s.sgns.epochs;
  m["w2v_examples"] = h.examples;
  m["w2v_final_loss"] = h.epoch_loss.back();
  m["w2v_analogies_tried"] = tried;
  m["w2v_analogies_top1"] = top1;
  m["w2v_analogies_top5"] = top5;
  m["w2v_seconds"] = clock.seconds();
}

// Exercise 19.1 against the library's SkipGram::backward on random vectors (a negative drawn
// twice included): the same loss and the same gradients?
inline bool exercise_matches_library() {
  const std::size_t V = 5, E = 6;
  Rng rng(19);
  SkipGram<double> sg(V, E, rng);
  for (auto& w : sg.W_in) w = rng.normal();
  for (auto& w : sg.W_out) w = rng.normal();
  const std::vector<std::size_t> negs = {2, 3, 2};
  Tensor2<double> dW_in = xt::zeros<double>({V, E}), dW_out = xt::zeros<double>({V, E});
  const double loss = sg.backward(0, 1, negs, dW_in, dW_out);
  auto row = [&](const Tensor2<double>& W, std::size_t r) { return std::vector<double>(W.data() + r * E, W.data() + (r + 1) * E); };
  std::vector<std::vector<double>> u_neg, du_neg(negs.size(), std::vector<double>(E));
  for (std::size_t k : negs) u_neg.push_back(row(sg.W_out, k));
  std::vector<double> dv(E), du_o(E);
  const double l = skipgram_gradient(row(sg.W_in, 0), row(sg.W_out, 1), u_neg, dv, du_o, du_neg);
  bool ok = std::abs(l - loss) < 1e-12;
  for (std::size_t e = 0; e < E; ++e) {
    ok = ok && std::abs(dv[e] - dW_in(0, e)) < 1e-12 && std::abs(du_o[e] - dW_out(1, e)) < 1e-12;
    ok = ok && std::abs(du_neg[0][e] + du_neg[2][e] - dW_out(2, e)) < 1e-12 && std::abs(du_neg[1][e] - dW_out(3, e)) < 1e-12;
  }
  return ok;
}

}  // namespace ch19
