// Chapter 22: Tree-LSTMs. Sentiment that composes (not, very, but) in a generated treebank of
// parse trees labelled at every node, or the Stanford Sentiment Treebank with --data: the
// binary and Child-Sum Tree-LSTMs, which read the tree, against a BiLSTM and a bag of words,
// which read only the words.
// Text: docs/ch22_tree_lstm.md
#include <datasets/sentiment_treebank.hpp>
#include <datasets/treebank.hpp>
#include <dlcore/dlcore.hpp>

#include "baselines.hpp"
#include "exercise.hpp"
#include "report.hpp"
#include "tree_models.hpp"

using namespace dl;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  ChapterCli cli("ch22_tree_lstm", "Chapter 22: Tree-LSTMs against a BiLSTM and a bag of words on sentiment that composes");
  cli.epochs(6, 1).checkpoints();
  std::string data;
  std::vector<std::string> models = {"all"};
  std::size_t min_count = 1;
  datasets::SentimentTreebankOptions gen;
  ch22::Settings s;
  auto& app = cli.app();
  app.add_option("--data", data, "Directory with train.txt, dev.txt and test.txt in the Stanford Sentiment Treebank's "
                                 "format (default: generate a treebank from the chapter's grammar)");
  app.add_option("--model", models, "Models to train: all, or any of tree, childsum, bilstm, bow")->delimiter(',')
      ->check(CLI::IsMember({"all", "tree", "childsum", "bilstm", "bow"}))->capture_default_str();
  app.add_option("--embed", s.embed, "Word vector size (every model)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--hidden", s.hidden, "Hidden units (BiLSTM: per direction; binary Tree-LSTM: this; Child-Sum: 3/2 of it)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--batch-size", s.batch_size, "Phrases per mini-batch (BiLSTM, bag of words)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--tree-batch-size", s.tree_batch_size, "Trees per mini-batch (Tree-LSTMs)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--lr", s.lr, "Adam learning rate")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--min-count", min_count, "Training occurrences a word needs to get its own id")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--train", gen.train, "Generated training sentences")->check(CLI::Range(10, 1000000))->capture_default_str();
  app.add_option("--dev", gen.dev, "Generated dev sentences")->check(CLI::Range(10, 1000000))->capture_default_str();
  app.add_option("--test", gen.test, "Generated test sentences")->check(CLI::Range(10, 1000000))->capture_default_str();
  app.add_option("--max-depth", gen.max_depth, "Deepest nesting of the grammar's phrase rules")->check(CLI::Range(1, 12))->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    set_parallel_threads(opt.threads);  // the BiLSTM and the Tree-LSTMs split each batch over the cores,
    set_num_threads(1);                 // every GEMM single-threaded inside
    s.epochs = opt.epochs;
    s.progress = opt.progress;
    if (std::find(models.begin(), models.end(), "all") != models.end()) models = {"tree", "childsum", "bilstm", "bow"};
    ch22::require_dot();
    nlohmann::json m;

    // ---- The treebank: generated from the grammar, or SST's files
    //! [data]
    datasets::Treebank bank;
    if (data.empty()) {
      if (opt.quick) gen.train = std::min<std::size_t>(gen.train, 800), gen.dev = std::min<std::size_t>(gen.dev, 200),
                     gen.test = std::min<std::size_t>(gen.test, 400);
      bank = datasets::sentiment_treebank(gen, opt.seed);
      for (const auto& [split, trees] : {std::pair{"train", &bank.train}, {"dev", &bank.dev}, {"test", &bank.test}})
        datasets::write_treebank(opt.out / (std::string(split) + ".txt"), *trees);
    } else {
      bank.train = datasets::read_treebank(fs::path(data) / "train.txt");
      bank.dev = datasets::read_treebank(fs::path(data) / "dev.txt");
      bank.test = datasets::read_treebank(fs::path(data) / "test.txt");
    }
    const auto vocab = datasets::TreeVocab::from_trees(bank.train, min_count);
    for (auto* split : {&bank.train, &bank.dev, &bank.test}) vocab.assign(*split);
    //! [data]
    std::size_t nodes = 0, leaves = 0, depth = 0;
    for (const auto& t : bank.train) {
      nodes += t.size();
      leaves += datasets::leaf_words(t).size();
      depth = std::max(depth, datasets::tree_depth(t));
    }
    fmt::print("{} / {} / {} trees (train / dev / test) from {}; {} words in the vocabulary; training trees have "
               "{:.1f} leaves and {:.1f} nodes on average, depth up to {}\n",
               bank.train.size(), bank.dev.size(), bank.test.size(), data.empty() ? "the grammar" : data, vocab.size(),
               double(leaves) / double(bank.train.size()), double(nodes) / double(bank.train.size()), depth);
    fmt::print("e.g. {}\n     {}\n", datasets::sentence(bank.train[0]), datasets::to_sexpr(bank.train[0]));
    m["data"] = data.empty() ? "generated" : data;
    m["train_trees"] = bank.train.size();
    m["dev_trees"] = bank.dev.size();
    m["test_trees"] = bank.test.size();
    m["vocabulary"] = vocab.size();
    m["train_mean_leaves"] = double(leaves) / double(bank.train.size());
    m["train_max_depth"] = depth;

    // ---- The models, each from the same seed, with the same word-vector size
    std::vector<ch22::ModelRun> runs;
    std::vector<ch22::Scores> scores;
    for (const auto& name : models) {
      //! [train]
      Rng rng(opt.seed);
      const CheckpointOptions ck{opt.checkpoint_file(name), opt.checkpoint_every, opt.resume};
      ch22::ModelRun run = name == "tree" || name == "childsum"
                               ? ch22::run_tree_model(name, vocab.size(), bank.train, bank.dev, s, rng, ck, opt.out / (name + ".npz"))
                               : ch22::run_sequential(name, vocab.size(), bank.train, bank.dev, s, rng, ck, opt.out / (name + ".npz"));
      const ch22::Scores sc = ch22::score(bank.test, run.predict(bank.test));
      //! [train]
      ch22::report_scores(name, sc, run, m);
      runs.push_back(std::move(run));
      scores.push_back(sc);
    }

    // ---- Where the models differ: depth, negations, one tree
    ch22::plot_breakdowns(opt.out, models, scores, m);
    ch22::plot_curves(opt.out, runs);
    ch22::draw_example(opt.out, bank.test, runs, m);

    // Exercise 22.1 groups nodes by height; check it against the library's node_heights.
    bool levels_match = true;
    for (std::size_t t = 0; t < std::min<std::size_t>(bank.test.size(), 50); ++t) {
      const auto heights = node_heights(bank.test[t]);
      const auto levels = ch22::tree_levels(bank.test[t]);
      std::size_t count = 0;
      for (std::size_t h = 0; h < levels.size(); ++h)
        for (std::size_t i : levels[h]) levels_match = levels_match && heights[i] == h, ++count;
      levels_match = levels_match && count == bank.test[t].size();
    }
    m["exercise_levels_match"] = levels_match;
    m["epochs"] = opt.epochs;
    m["embed"] = s.embed;
    m["hidden"] = s.hidden;
    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("wrote {} ({:.0f} s)\n", (opt.out / "metrics.json").string(), clock.seconds());
  });
}
