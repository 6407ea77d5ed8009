#pragma once
// Chapter 19's figures and metrics: learning curves, accuracy by word length per reader, the
// confusion matrix, the character embeddings projected by PCA, the attention weights over the
// letters of a few words.
#include <fstream>

#include <dlcore/dlcore.hpp>
#include <datasets/words.hpp>

#include "readers.hpp"

namespace ch19 {

using namespace dl;
namespace fs = std::filesystem;

inline std::string reader_color(const std::string& name) {
  if (name == "gru") return "lc rgb '#7570b3'";
  if (name == "lstm") return "lc rgb '#1b9e77'";
  if (name == "cnn") return "lc rgb '#d95f02'";
  return "lc rgb '#e7298a'";  // attention
}

// Test accuracy of every reader by word length (lengths from 16 on pooled), plus the curves of
// validation accuracy per epoch; metrics gru_test_accuracy, cnn_best_epoch, ...
inline void report_readers(const fs::path& out, const std::vector<Reader>& readers, const WordData& d,
                           nlohmann::json& m) {
  constexpr std::size_t kMaxLen = 16;  // lengths >= 16 share a point
  plot::Figure by_len("Test accuracy by word length", "word length (characters; 16: 16 or more)", "test accuracy");
  by_len.raw("set grid").key("bottom right").xrange(2.5, double(kMaxLen) + 0.5);
  plot::Figure curves("Validation accuracy per epoch", "epoch", "validation accuracy");
  curves.raw("set grid").key("bottom right");
  for (const auto& r : readers) {
    std::vector<double> hits(kMaxLen + 1, 0), count(kMaxLen + 1, 0), xs, ys;
    for (std::size_t n = 0; n < d.test.size(); ++n) {
      const std::size_t len = std::min(d.test.lengths[n], kMaxLen);
      count[len] += 1;
      hits[len] += r.predicted(n) == d.test.y(n);
    }
    for (std::size_t len = 3; len <= kMaxLen; ++len)
      if (count[len] > 0) xs.push_back(double(len)), ys.push_back(hits[len] / count[len]);
    by_len.linespoints(r.name, xs, ys, reader_color(r.name) + " lw 2");
    std::vector<double> e, va;
    for (const auto& rec : r.history.epochs) e.push_back(rec.epoch), va.push_back(rec.val_accuracy);
    curves.linespoints(r.name, e, va, reader_color(r.name));
    m[r.name + "_test_accuracy"] = r.test_accuracy;
    m[r.name + "_test_loss"] = r.test_loss;
    m[r.name + "_val_accuracy"] = r.val_accuracy;
    m[r.name + "_best_epoch"] = r.best_epoch;
    m[r.name + "_epochs"] = r.history.epochs.size();
    m[r.name + "_num_params"] = const_cast<Sequential<float>&>(r.net).num_params();
    m[r.name + "_seconds_per_epoch"] = r.history.seconds / double(r.history.epochs.size());
  }
  if (readers.empty()) return;
  by_len.save(out / "accuracy_by_length.svg");
  curves.save(out / "val_accuracy.svg");
}

// The confusion matrix of one reader on the test words, and per-language F1 in the metrics.
inline void report_confusion(const fs::path& out, const Reader& r, const WordData& d, nlohmann::json& m) {
  const auto C = confusion_matrix(r.predicted, d.test.y, 5);
  plot_confusion(out / ("confusion_" + r.name + ".svg"), C, datasets::word_languages(),
                 "Which language? " + r.name + " reader, test words (rows: true, columns: predicted)");
  const nlohmann::json scores = class_report_json(class_report(C), datasets::word_languages());
  for (const auto& [k, v] : scores.items()) m[r.name + "_" + k] = v;
}

//! [embedding_pca]
// The learned character embeddings (rows of the Embedding table, padding and unknown left
// out) projected on their first two principal components, each point labelled with its letter.
inline void plot_embedding_pca(const fs::path& out, Sequential<float>& net, const datasets::CharVocab& vocab,
                               const std::string& reader, nlohmann::json& m) {
  const Tensor2<float>& W = net.layer<Embedding<float>>(0).W;
  const std::size_t V = W.shape(0), E = W.shape(1);
  Tensor2<double> X = Tensor2<double>::from_shape({V - 2, E});
  for (std::size_t i = 2; i < V; ++i)
    for (std::size_t e = 0; e < E; ++e) X(i - 2, e) = double(W(i, e));
  const Pca p = pca(X, 2);
  const Tensor2<double> P = p.project(X);
  //! [embedding_pca]
  const std::u32string vowels = U"aeiouy";
  std::vector<double> vx, vy, cx, cy, ax, ay;
  plot::Figure fig(fmt::format("Character embeddings of the {} reader, first two principal components "
                               "({:.0f}% of the variance)", reader,
                               100 * (p.variance[0] + p.variance[1]) / p.total_variance),
                   "principal component 1", "principal component 2");
  fig.size(820, 640).raw("set grid").key("top right");
  std::ofstream f(out / "embedding_pca_letters.csv");
  f << "letter,pc1,pc2\n";
  for (std::size_t i = 0; i + 2 < V; ++i) {
    const char32_t ch = vocab.chars[i];
    const std::string label = vocab.label(std::int32_t(i + 2));
    f << label << ',' << P(i, 0) << ',' << P(i, 1) << '\n';
    const bool accented = ch >= 0x80, vowel = vowels.find(ch) != std::u32string::npos;
    (accented ? ax : vowel ? vx : cx).push_back(P(i, 0));
    (accented ? ay : vowel ? vy : cy).push_back(P(i, 1));
    fig.raw(fmt::format("set label \"{}\" at {},{} offset 0.6,0.4 font 'sans,11' noenhanced", label, P(i, 0), P(i, 1)));
  }
  fig.points("vowels a e i o u y", vx, vy, "pt 7 ps 0.9 lc rgb '#d95f02'")
      .points("consonants", cx, cy, "pt 7 ps 0.9 lc rgb '#1b9e77'")
      .points("accented letters, ß", ax, ay, "pt 7 ps 0.9 lc rgb '#7570b3'");
  fig.save(out / "embedding_pca.svg");
  m["embedding_pca_explained"] = (p.variance[0] + p.variance[1]) / p.total_variance;
}

//! [attention_weights]
// The attention reader's weights over the letters of some words: embedding, GRU and
// attention pooling run by hand, layer by layer, to read alpha from the pooling's cache.
inline Tensor2<float> attention_weights(Sequential<float>& net, const Tensor2<float>& ids, const Lengths& lengths) {
  const Context ctx{Mode::eval, nullptr, &lengths};
  Embedding<float>::Cache ce;
  GRU<float>::Cache cg;
  AttentionPool<float>::Cache ca;
  const Tensor3<float> h = net.layer<GRU<float>>(1).forward(net.layer<Embedding<float>>(0).forward(ids, ce), cg, ctx);
  net.layer<AttentionPool<float>>(2).forward(h, ca, ctx);
  return ca.alpha;  // (N, T): row n over the letters of word n
}
//! [attention_weights]

inline void plot_attention(const fs::path& out, Sequential<float>& net, const std::vector<std::string>& words,
                           const datasets::CharVocab& vocab) {
  if (words.empty()) return;
  std::vector<std::u32string> ws;
  std::size_t T = 1;
  for (const auto& w : words) ws.push_back(datasets::from_utf8(w)), T = std::max(T, ws.back().size());
  datasets::WordSet set;
  set.words = ws;
  set.labels.assign(ws.size(), 0);
  const auto d = datasets::encode_words<float>(set, vocab, T);
  const Tensor2<float> alpha = attention_weights(net, d.X, d.lengths);
  const Labels pred = argmax_rows(predict(net, d.X, 512, &d.lengths));
  Tensor2<double> values = xt::zeros<double>({ws.size(), T});
  std::vector<std::string> text(ws.size() * T), rows, cols;
  for (std::size_t n = 0; n < ws.size(); ++n) {
    rows.push_back(words[n] + " (" + datasets::word_languages()[std::size_t(pred(n))] + ")");
    for (std::size_t t = 0; t < ws[n].size() && t < T; ++t) {
      values(n, t) = double(alpha(n, t));
      text[n * T + t] = datasets::to_utf8(std::u32string(1, ws[n][t]));
    }
  }
  for (std::size_t t = 0; t < T; ++t) cols.push_back(std::to_string(t + 1));
  plot::heatmap(out / "attention_weights.svg", values, rows, cols,
                "Attention weights over the letters (darker: more weight); the reader's answer in brackets",
                "position in the word", "", true, text);
}

}  // namespace ch19
