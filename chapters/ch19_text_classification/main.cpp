// Chapter 19: text classification. Which language is a word: English, French, German, Spanish
// or Italian? Four readers of its characters: a GRU and an LSTM (the state after the last
// letter), a 1-D convolutional network (n-gram detectors, max over time) and a GRU with
// attention pooling; then word vectors (skip-gram with negative sampling) learned from
// WordNet's glosses. `--word WORD` asks the saved readers about one word.
// Text: docs/ch19_text_classification.md
#include <cwctype>
#include <fstream>

#include <dlcore/dlcore.hpp>
#include <datasets/words.hpp>

#include "exercise.hpp"
#include "readers.hpp"
#include "report.hpp"
#include "word_vectors.hpp"

using namespace dl;
namespace fs = std::filesystem;

// ---- Asking the saved readers about one word
//! [ask_word]
void ask_word(const std::string& word, const fs::path& dir, const ch19::Recipe& r) {
  std::vector<char32_t> chars;  // the vocabulary the readers were trained with, one letter a line
  std::ifstream in(dir / "char_vocab.txt");
  if (!in) throw FileError((dir / "char_vocab.txt").string() + ": no saved readers here; run ch19_text_classification once (same --out) first");
  for (std::string line; std::getline(in, line);) chars.push_back(datasets::from_utf8(line).at(0));
  const auto vocab = datasets::CharVocab::from_words({std::u32string(chars.begin(), chars.end())});
  std::u32string w = datasets::from_utf8(word);
  for (auto& c : w) c = char32_t(std::towlower(wint_t(c)));
  const auto [X, lengths] = ch19::encode_one(w, vocab);
  const auto& langs = datasets::word_languages();
  fmt::print("{:<12}", word);
  for (const auto& l : langs) fmt::print(" {:>8}", l);
  fmt::print("\n");
  Rng rng(0);
  for (const std::string name : {"gru", "lstm", "cnn", "attention"}) {
    if (!fs::exists(dir / (name + ".npz"))) continue;
    Sequential<float> net = name == "cnn" ? text_cnn_classifier<float>(vocab.size(), r.emb, r.channels, r.kernel, 5, rng)
                          : name == "attention" ? text_attention_classifier<float>(CellKind::gru, vocab.size(), r.emb, r.hidden, 5, rng)
                          : text_rnn_classifier<float>(parse_cell(name), vocab.size(), r.emb, r.hidden, 5, rng);
    load_model(dir / (name + ".npz"), net);
    const Tensor2<float> p = softmax_rows(predict(net, X, 1, &lengths));
    fmt::print("{:<12}", name);
    for (std::size_t k = 0; k < langs.size(); ++k) fmt::print(" {:>8.4f}", p(0, k));
    fmt::print("\n");
  }
}
//! [ask_word]

int main(int argc, char** argv) {
  ChapterCli cli("ch19_text_classification", "Chapter 19: which language is a word? Character readers and word vectors");
  cli.epochs(10, 1).data("/usr/share/dict", "Word lists directory (american-english, french, ngerman, spanish, italian, one word per line)");
  ch19::Recipe recipe;
  ch19::WordVectorSettings wv;
  std::size_t per_language = 20000;
  std::vector<std::string> readers = {"gru", "lstm", "cnn", "attention"};
  std::vector<std::string> attention_words = {"knight", "thoughtful", "oiseaux", "château", "schmetterling",
                                              "straße", "mañana", "corazón", "ragazzi", "gnocchi"};
  std::string word, wordnet = "/usr/share/wordnet";
  bool skip_word2vec = false;
  auto& app = cli.app();
  app.add_option("--word", word, "Print each language's probability for WORD from the readers saved in --out, and exit");
  app.add_option("--readers", readers, "Readers to train: gru, lstm, cnn, attention")->delimiter(',')
      ->check(CLI::IsMember({"gru", "lstm", "cnn", "attention"}))->capture_default_str();
  app.add_option("--per-language", per_language, "Words sampled per language (80/10/10 split)")->check(CLI::Range(50, 1000000))->capture_default_str();
  app.add_option("--emb", recipe.emb, "Character embedding size")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--hidden", recipe.hidden, "Hidden units of the recurrent readers")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--channels", recipe.channels, "Filters per layer of the convolutional reader")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--lr", recipe.lr, "Adam learning rate")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--batch-size", recipe.batch, "Mini-batch size")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--attention-words", attention_words, "Words whose attention weights are drawn")->delimiter(',')->capture_default_str();
  app.add_option("--wordnet", wordnet, "WordNet's data files (Debian package wordnet-base)")->capture_default_str();
  app.add_option("--w2v-dim", wv.dim, "Word vector size")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--w2v-epochs", wv.sgns.epochs, "Passes over the glosses")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_flag("--skip-word2vec", skip_word2vec, "Skip the word vectors");

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    if (!word.empty()) return ask_word(word, opt.out, recipe);
    Stopwatch clock;
    keep_freed_memory();
    set_parallel_threads(opt.threads);  // the recurrent layers split each batch over the cores,
    set_num_threads(1);                 // every GEMM single-threaded inside (Chapter 18)
    if (opt.quick) per_language = std::min<std::size_t>(per_language, 600), wv.max_glosses = 6000, wv.dim = 32, wv.sgns.epochs = 1;
    recipe.epochs = opt.epochs;
    recipe.progress = opt.progress;
    wv.sgns.progress = opt.progress;
    nlohmann::json m;

    // ---- The words: five Debian word lists, each word's characters as ids
    const ch19::WordData d = ch19::load_words(opt.data, per_language);
    fmt::print("train {} / validation {} / test {} words of 5 languages, {} characters (+ padding, unknown)\n",
               d.train.size(), d.val.size(), d.test.size(), d.words.vocab.chars.size());
    {
      std::ofstream f(opt.out / "char_vocab.txt");  // for --word and later chapters
      for (char32_t c : d.words.vocab.chars) f << datasets::to_utf8(std::u32string(1, c)) << '\n';
    }
    ch19::Corpus corpus;  // WordNet's glosses, for the word vectors at the end
    if (!skip_word2vec) corpus = ch19::load_corpus(wordnet, wv);

    // ---- Four readers of the same characters
    Rng rng(opt.seed);
    std::vector<ch19::Reader> trained;
    for (const auto& name : readers) {
      //! [readers]
      const std::size_t V = d.vocab(), E = recipe.emb, H = recipe.hidden;
      Sequential<float> net = name == "cnn" ? text_cnn_classifier<float>(V, E, recipe.channels, recipe.kernel, 5, rng)
                            : name == "attention" ? text_attention_classifier<float>(CellKind::gru, V, E, H, 5, rng)
                            : text_rnn_classifier<float>(parse_cell(name), V, E, H, 5, rng);
      trained.push_back(ch19::train_reader(name, std::move(net), d, recipe, rng));
      //! [readers]
      save_model(opt.out / (name + ".npz"), trained.back().net,
                 {{"chapter", "ch19_text_classification"}, {"reader", name}, {"seed", opt.seed}});
    }
    ch19::report_readers(opt.out, trained, d, m);
    for (auto& r : trained) {  // the GRU's confusion matrix and embeddings (the first reader's without it)
      if (r.name == "gru" || (&r == &trained.front() && !ch19::has_reader(trained, "gru"))) {
        ch19::report_confusion(opt.out, r, d, m);
        ch19::plot_embedding_pca(opt.out, r.net, d.words.vocab, r.name, m);
      }
      if (r.name == "attention") ch19::plot_attention(opt.out, r.net, attention_words, d.words.vocab);
    }

    // ---- Word vectors from WordNet's glosses
    if (!skip_word2vec) ch19::word_vectors(opt.out, corpus, wv, opt.seed, m);

    // Exercise 19.1 computes one skip-gram example's gradient; check it against the library.
    m["exercise_skipgram_matches"] = ch19::exercise_matches_library();
    m["epochs"] = opt.epochs;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} ({:.0f} s)\n", (opt.out / "metrics.json").string(), clock.seconds());
  });
}
