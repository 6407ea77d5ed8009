// Chapter 21: sequence labelling with a bidirectional LSTM, read out step by step (softmax) or
// as a whole tag path (linear-chain CRF). The task: words of five languages run together
// without spaces ("chatwaldcasa"), every character tagged B-lang (begins a word) or I-lang.
// Text: docs/ch21_sequence_labeling.md
#include <datasets/word_tagging.hpp>
#include <dlcore/dlcore.hpp>

#include "exercise.hpp"
#include "report.hpp"
#include "tagger.hpp"

using namespace dl;

int main(int argc, char** argv) {
  ChapterCli cli("ch21_sequence_labeling", "Chapter 21: BiLSTM-softmax vs BiLSTM-CRF tagging words run together");
  cli.epochs(8, 1);
  std::filesystem::path dict = "/usr/share/dict";
  std::size_t per_language = 20000, min_words = 2, max_words = 5;
  std::string model = "both";
  ch21::Settings s;
  auto& app = cli.app();
  app.add_option("--data", dict, "Directory of the Debian word lists (wamerican, wfrench, ...)")->capture_default_str();
  app.add_option("--per-language", per_language, "Words sampled per language before the split")
      ->check(CLI::Range(std::size_t(50), std::size_t(1000000)))->capture_default_str();
  app.add_option("--min-words", min_words, "Fewest words run together in a string")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--max-words", max_words, "Most words run together in a string")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--model", model, "Train both taggers, or only one: softmax or crf")
      ->check(CLI::IsMember({"both", "softmax", "crf"}))->capture_default_str();
  app.add_option("--embed", s.embed, "Character embedding size")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--hidden", s.hidden, "Hidden units per direction of the BiLSTM")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--batch-size", s.batch_size, "Strings per mini-batch")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--lr", s.lr, "Adam learning rate")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--crf-lr", s.crf_lr, "Adam learning rate of the CRF's transition, start and end scores")
      ->check(CLI::PositiveNumber)->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    // Threads: the recurrent layers and the CRF split each batch's sequences over --threads
    // cores, every product single-threaded inside.
    set_parallel_threads(opt.threads);
    set_num_threads(1);
    if (min_words > max_words) throw ValueError(fmt::format("--min-words {} is more than --max-words {}", min_words, max_words));
    if (opt.quick) per_language = std::min<std::size_t>(per_language, 600);
    s.epochs = opt.epochs;
    s.progress = opt.progress;
    nlohmann::json m;

    // ---- The task: words run together, one tag per character
    //! [data]
    const auto words = datasets::load_word_languages(dict, opt.seed, per_language);
    const auto train_s = datasets::run_words_together(words.train, opt.seed + 1, min_words, max_words);
    const auto val_s = datasets::run_words_together(words.val, opt.seed + 2, min_words, max_words);
    const auto test_s = datasets::run_words_together(words.test, opt.seed + 3, min_words, max_words);
    const auto train = datasets::encode_tagged<float>(train_s, words.vocab);
    const auto val = datasets::encode_tagged<float>(val_s, words.vocab);
    const auto test = datasets::encode_tagged<float>(test_s, words.vocab);
    //! [data]
    const std::size_t V = words.vocab.size(), K = datasets::language_tag_names().size();
    std::size_t chars = 0;
    for (auto L : train.lengths) chars += L;
    fmt::print("{} / {} / {} strings of {}-{} words (train / validation / test), {} characters in training, "
               "{} character ids, {} tags\n", train.size(), val.size(), test.size(), min_words, max_words, chars, V, K);
    fmt::print("e.g. {}\n", ch21::segmented(train_s.text[0], train.y.data()));
    m["train_strings"] = train.size();
    m["val_strings"] = val.size();
    m["test_strings"] = test.size();
    m["train_mean_length"] = double(chars) / double(train.size());
    m["vocabulary"] = V;

    // ---- Two taggers on the same BiLSTM: a softmax at every step, or a CRF over the path
    std::vector<ch21::Head> heads = {ch21::Head::softmax, ch21::Head::crf};
    if (model != "both") heads = {model == "crf" ? ch21::Head::crf : ch21::Head::softmax};
    std::vector<std::unique_ptr<ch21::Tagger>> taggers;
    std::vector<ch21::Run> runs;
    for (ch21::Head head : heads) {
      //! [train]
      Rng rng(opt.seed);  // the same initial BiLSTM for both heads
      auto tagger = std::make_unique<ch21::Tagger>(head, V, K, s, rng);
      ch21::Run run = ch21::train(*tagger, train, val, s, rng);
      run.test = ch21::predict(*tagger, test);
      //! [train]
      runs.push_back(std::move(run));
      taggers.push_back(std::move(tagger));
    }
    ch21::report_runs(opt.out, runs, m);

    // ---- What the CRF learned, and one string as each model sees it
    const ch21::Predictions* ps = nullptr;
    const ch21::Predictions* pc = nullptr;
    for (const auto& r : runs) (r.head == ch21::Head::softmax ? ps : pc) = &r.test;
    if (pc) ch21::plot_transitions(opt.out, taggers.back()->crf, m);
    if (pc) ch21::report_constrained(*taggers.back(), test, m);  // the same CRF, BIO rules set by hand
    if (ps && pc) ch21::plot_example(opt.out, *taggers.front(), *taggers.back(), test_s, test, *ps, *pc, m);
    ch21::write_examples(opt.out, test_s, test, {ps, pc}, 8);

    // Exercises 21.1 and 21.2 write the forward algorithm and Viterbi; check them against the CRF.
    const auto [ex_log_z, ex_viterbi] = ch21::exercises_match_library();
    m["exercise_log_partition_matches"] = ex_log_z;
    m["exercise_viterbi_matches"] = ex_viterbi;
    m["epochs"] = opt.epochs;
    m["lr"] = s.lr;
    m["crf_lr"] = s.crf_lr;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} ({:.0f} s)\n", (opt.out / "metrics.json").string(), clock.seconds());
  });
}
