// Chapter 20: attention. Why dot products are scaled by 1/sqrt(d); an encoder-decoder that
// reverses sequences of digits without attention, with additive attention and with scaled
// dot-product attention, measured per length; then a Transformer encoder block against a GRU
// on the language of a word (Debian's word lists).
// Text: docs/ch20_attention.md
#include <dlcore/dlcore.hpp>
#include <datasets/words.hpp>

#include "exercise.hpp"
#include "readers.hpp"
#include "report.hpp"
#include "reversal.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch20_attention", "Chapter 20: attention, encoder-decoders and the Transformer block");
  cli.epochs(5, 1).data("/usr/share/dict", "Word lists directory (american-english, french, ngerman, spanish, italian, one word per line)");
  ch20::TaskSettings ts;
  ch20::ReaderSettings rs;
  std::string attention_flag = "all";
  std::size_t per_language = 20000;
  bool skip_reverse = false, skip_words = false;
  auto& app = cli.app();
  app.add_option("--attention", attention_flag, "Reversal models to train: all, none, additive or dot")
      ->check(CLI::IsMember({"all", "none", "additive", "dot"}))->capture_default_str();
  app.add_option("--steps", ts.steps, "Training steps of each reversal model")->check(CLI::Range(1, 10000000))->capture_default_str();
  app.add_option("--max-len", ts.max_len, "Longest sequence to reverse (training and test)")
      ->check(CLI::Range(4, 200))->capture_default_str();
  app.add_option("--hidden", ts.sizes.hidden, "Hidden units of the encoder and decoder GRUs")
      ->check(CLI::Range(1, 4096))->capture_default_str();
  app.add_option("--lr", ts.lr, "Adam learning rate of the reversal models")->capture_default_str();
  app.add_option("--per-language", per_language, "Words per language for the word readers")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  app.add_option("--heads", rs.heads, "Attention heads of the Transformer block")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_flag("--skip-reverse", skip_reverse, "Skip the reversal task");
  app.add_flag("--skip-words", skip_words, "Skip the word readers");

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    keep_freed_memory();
    set_parallel_threads(opt.threads);  // the layers split their batches over --threads cores,
    set_num_threads(1);                 // every product single-threaded inside a worker
    ts.progress = rs.progress = opt.progress;
    rs.epochs = opt.epochs;
    if (opt.quick) {  // the tests' settings
      ts.steps = 60;
      ts.eval_every = 30;
      ts.eval_size = 50;
      ts.max_len = 8;
      ts.sizes.hidden = 32;
      per_language = 300;
    }
    if (rs.embed % rs.heads != 0)  // before any training: the block splits the embedding between its heads
      throw ValueError(fmt::format("--heads {}: the Transformer block's embedding size {} must be a multiple of the number of heads",
                                   rs.heads, rs.embed));
    ts.sizes.src_vocab = ts.sizes.tgt_vocab = ch20::kFirstSymbol + ts.symbols;
    ts.eval_lengths.clear();
    for (std::size_t L = 5; L <= ts.max_len; L += 5) ts.eval_lengths.push_back(L);
    if (ts.eval_lengths.empty() || ts.eval_lengths.back() != ts.max_len) ts.eval_lengths.push_back(ts.max_len);
    nlohmann::json m;

    // ---- The data first (a bad --data fails at once): words of five languages
    datasets::WordLanguages words;
    if (!skip_words) {
      words = datasets::load_word_languages(opt.data, opt.seed, per_language);
      fmt::print("words: train {} / validation {} / test {}, {} characters\n", words.train.size(),
                 words.val.size(), words.test.size(), words.vocab.size());
    }

    // ---- Why scale by 1/sqrt(d): the variance of a dot product
    ch20::scaling_experiment(opt.out, opt.seed, m);

    // ---- An encoder-decoder reverses sequences: without attention, additive, dot-product
    if (!skip_reverse) {
      std::vector<AttentionKind> kinds = {AttentionKind::none, AttentionKind::additive, AttentionKind::dot};
      if (attention_flag != "all") kinds = {parse_attention(attention_flag)};
      std::vector<ch20::TaskRun> runs;
      for (AttentionKind k : kinds) {
        Seq2Seq<float> model;
        runs.push_back(ch20::train_reversal(k, ts, opt.seed, model));
        fmt::print("reverse, attention {}: sequence accuracy {:.3f} at L = {} ({:.0f} s)\n", to_string(k),
                   runs.back().scores.back().sequence_accuracy, ts.max_len, runs.back().seconds);
        std::fflush(stdout);
        if (k != AttentionKind::none)  // where does each output step look?
          ch20::plot_attention_map(opt.out / ("reverse_attention_" + to_string(k) + ".svg"), model,
                                   std::min<std::size_t>(ts.max_len, 20), ts.symbols, opt.seed + 3);
      }
      ch20::report_reversal(opt.out, runs, ts, m);
    }

    // ---- Self-attention: a Transformer encoder block against a GRU on the language of a word
    if (!skip_words) {
      const auto train = datasets::encode_words<float>(words.train, words.vocab);
      const auto val = datasets::encode_words<float>(words.val, words.vocab);
      const auto test = datasets::encode_words<float>(words.test, words.vocab);
      const std::size_t V = words.vocab.size(), K = datasets::word_languages().size();
      Rng rng(opt.seed);
      //! [transformer_reader]
      Sequential<float> transformer = transformer_classifier<float>({V, rs.embed, rs.heads, rs.ff, K}, rng);
      //! [transformer_reader]
      Sequential<float> gru = ch20::gru_reader(V, K, rs, rng);
      std::vector<ch20::ReaderRun> runs;
      runs.push_back(ch20::train_reader("transformer", transformer, rs.lr, train, val, test, rs, rng));
      runs.push_back(ch20::train_reader("gru", gru, rs.gru_lr, train, val, test, rs, rng));
      ch20::report_readers(opt.out, runs, m);
      for (const char* w : {"schmetterling", "papillon", "mariposa"}) {  // butterfly, three ways
        const std::u32string word = datasets::from_utf8(w);
        std::vector<std::string> letters;
        for (char32_t c : word) letters.push_back(datasets::to_utf8(std::u32string(1, c)));
        plot::heatmap(opt.out / fmt::format("word_attention_{}.svg", w), ch20::word_attention(transformer, word, words.vocab),
                      letters, letters, fmt::format("Self-attention over the letters of '{}' (mean of the heads)", w),
                      "key (the letter attended to)", "query (the letter reading)", false);
      }
    }

    // Exercise 20.1 computes attention backward for one query; check it against the library.
    m["exercise_attention_backward_matches"] = ch20::exercise_matches_library();
    m["epochs"] = opt.epochs;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} ({:.0f} s)\n", (opt.out / "metrics.json").string(), clock.seconds());
  });
}
