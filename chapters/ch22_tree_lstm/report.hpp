#pragma once
// Chapter 22's figures and metrics: the test scores of every model, root accuracy against
// tree depth and against the number of negations, dev accuracy per epoch, and a test tree
// drawn by Graphviz with each node coloured by the class a model predicts.
#include <cstdlib>

#include <datasets/treebank.hpp>
#include <dlcore/dlcore.hpp>

#include "baselines.hpp"

namespace ch22 {

inline const std::vector<std::string>& class_names() {
  static const std::vector<std::string> n = {"very negative", "negative", "neutral", "positive", "very positive"};
  return n;
}

inline std::string model_title(const std::string& name) {
  return name == "tree" ? "binary Tree-LSTM" : name == "childsum" ? "Child-Sum Tree-LSTM"
       : name == "bilstm" ? "BiLSTM" : "bag of words";
}
inline std::string model_style(const std::string& name) {
  return name == "tree" ? "lc rgb '#1b9e77' lw 2" : name == "childsum" ? "lc rgb '#7570b3' lw 2"
       : name == "bilstm" ? "lc rgb '#d95f02' lw 2" : "lc rgb '#666666' lw 2";
}

/// Metrics NAME_root_accuracy, NAME_root_accuracy_binary, NAME_all_node_accuracy, ...
inline void report_scores(const std::string& name, const Scores& s, const ModelRun& run, nlohmann::json& m) {
  m[name + "_root_accuracy"] = s.root;
  m[name + "_root_accuracy_binary"] = s.root_binary;
  m[name + "_all_node_accuracy"] = s.nodes;
  m[name + "_dev_root_accuracy"] = run.history.epochs.empty() ? 0.0 : run.history.epochs.back().val_accuracy;
  m[name + "_num_params"] = run.num_params;
  m[name + "_seconds"] = run.seconds;
  fmt::print("{:>8}: test root accuracy {:.4f} (binary {:.4f}), all nodes {:.4f}; {} parameters, {:.1f} s\n", name,
             s.root, s.root_binary, s.nodes, run.num_params, run.seconds);
}

/// Root accuracy against tree depth and against the number of negation words, one line per
/// model (a group with fewer than `min_trees` test trees is left out: too noisy to plot).
inline void plot_breakdowns(const std::filesystem::path& out, const std::vector<std::string>& names,
                            const std::vector<Scores>& scores, nlohmann::json& m, std::size_t min_trees = 10) {
  plot::Figure depth("Test root accuracy by tree depth", "tree depth (height of the root)", "root accuracy (5 classes)");
  plot::Figure neg("Test root accuracy by negations in the sentence", "negation words (not, never, ...)",
                   "root accuracy (5 classes)");
  for (auto* f : {&depth, &neg}) f->raw("set grid").yrange(0, 1).key("bottom left");
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto series = [&](const std::map<std::size_t, std::pair<std::size_t, std::size_t>>& g, plot::Figure& f,
                      const std::string& key) {
      std::vector<double> x, y;
      for (const auto& [k, hc] : g)
        if (hc.second >= min_trees) {
          x.push_back(double(k));
          y.push_back(double(hc.first) / double(hc.second));
          m[names[i] + "_root_accuracy_" + key + "_" + std::to_string(k)] = y.back();
        }
      f.linespoints(model_title(names[i]), x, y, model_style(names[i]));
    };
    series(scores[i].by_depth, depth, "depth");
    series(scores[i].by_negations, neg, "negations");
  }
  depth.save(out / "accuracy_by_depth.svg");
  neg.save(out / "accuracy_by_negations.svg");
}

/// Dev root accuracy after every epoch, one line per model.
inline void plot_curves(const std::filesystem::path& out, const std::vector<ModelRun>& runs) {
  plot::Figure f("Dev root accuracy per epoch", "epoch", "dev root accuracy (5 classes)");
  f.raw("set grid").key("bottom right");
  for (const auto& r : runs) {
    std::vector<double> e, a;
    for (const auto& rec : r.history.epochs) e.push_back(rec.epoch), a.push_back(rec.val_accuracy);
    f.linespoints(model_title(r.name), e, a, model_style(r.name));
  }
  f.save(out / "dev_accuracy.svg");
}

/// Graphviz's dot, or a clear error naming the package: ch22 draws trees with it.
inline void require_dot() {
  if (std::system("dot -V > /dev/null 2>&1") != 0)
    throw Error("ch22 draws its example trees with Graphviz's dot, which was not found on PATH: install Debian's "
                "graphviz package (tools/deps.sh does)");
}

/// A word inside a double-quoted Graphviz label: backslashes and quotes escaped.
inline std::string dot_escape(const std::string& w) {
  std::string e;
  for (char c : w) {
    if (c == '"' || c == '\\') e += '\\';
    e += c;
  }
  return e;
}

//! [draw_tree]
/// The tree in Graphviz's language: every node filled with the colour of its predicted
/// class (red very negative ... green very positive), leaves showing their word; a node whose
/// prediction differs from its label gets a thick black border and "gold k".
inline std::string tree_dot(const Tree& t, const Tensor2<float>& probs, const std::string& title) {
  static const char* fill[K] = {"#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"};
  std::string s = "digraph tree {\n  graph [ordering=out, ranksep=0.3, nodesep=0.15, fontname=\"Helvetica\", labelloc=t, label=\"" +
                  title + "\"];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
                  "  edge [arrowhead=none];\n";
  for (std::size_t i = 0; i < t.size(); ++i) {
    const int pred = predicted_class(probs, i), gold = t.nodes[i].label;
    std::string text = t.is_leaf(i) ? dot_escape(t.nodes[i].word) + "\\n" : "";
    text += std::to_string(pred);
    const bool wrong = gold >= 0 && gold != pred;
    if (wrong) text += " (gold " + std::to_string(gold) + ")";
    s += fmt::format("  n{} [label=\"{}\", fillcolor=\"{}\"{}];\n", i, text, fill[pred], wrong ? ", penwidth=3" : "");
    for (std::size_t c : t.nodes[i].children) s += fmt::format("  n{} -> n{};\n", i, c);
  }
  return s + "}\n";
}
//! [draw_tree]

/// Write STEM.dot and render STEM.svg with `dot -Tsvg`; Error if dot fails.
inline void render_dot(const std::filesystem::path& stem, const std::string& dot) {
  const auto dot_file = stem.string() + ".dot", svg = stem.string() + ".svg";
  write_file_atomic(dot_file, dot);
  const std::string cmd = "dot -Tsvg '" + dot_file + "' -o '" + svg + "' 2>&1";
  if (std::system(cmd.c_str()) != 0) throw Error("dot could not render " + dot_file + " (ran: " + cmd + ")");
}

/// True if a negation word of `t` applies to a phrase that is not neutral: its parent's
/// label is neither neutral nor missing (so the drawing shows a negation at work).
inline bool negation_at_work(const Tree& t) {
  const auto& neg = datasets::negation_words();
  for (const auto& n : t.nodes)
    for (std::size_t c : n.children)
      if (t.is_leaf(c) && std::find(neg.begin(), neg.end(), t.nodes[c].word) != neg.end() && n.label >= 0 && n.label != 2)
        return true;
  return false;
}

/// The first test tree (chosen from the gold labels only, never from a model's predictions)
/// with a contrast, 8-16 leaves, a root that is not neutral and a negation at work; failing
/// that, the first with a negation, a contrast and 8-16 leaves; else the first one. Drawn
/// once per model.
inline void draw_example(const std::filesystem::path& out, const std::vector<Tree>& test,
                         const std::vector<ModelRun>& runs, nlohmann::json& m) {
  std::size_t pick = test.size();
  for (int strict = 1; strict >= 0 && pick == test.size(); --strict)
    for (std::size_t i = 0; i < test.size(); ++i) {
      const auto words = datasets::leaf_words(test[i]);
      const bool contrast = std::find(words.begin(), words.end(), "but") != words.end();
      const bool shape = datasets::count_negations(test[i]) >= 1 && contrast && words.size() >= 8 && words.size() <= 16;
      if (shape && (!strict || (test[i].nodes.back().label != 2 && negation_at_work(test[i])))) {
        pick = i;
        break;
      }
    }
  if (pick == test.size()) pick = 0;
  const std::vector<Tree> one = {test[pick]};
  m["example_sentence"] = datasets::sentence(test[pick]);
  m["example_tree"] = datasets::to_sexpr(test[pick]);
  for (const auto& r : runs) {
    const Tensor2<float> p = r.predict(one)[0];
    render_dot(out / ("example_tree_" + r.name),
               tree_dot(test[pick], p, model_title(r.name) + ": predicted class at every node (0 very negative ... 4 very positive)"));
    m[r.name + "_example_root"] = predicted_class(p, test[pick].root());
    std::vector<double> root_probs;
    for (std::size_t k = 0; k < K; ++k) root_probs.push_back(p(test[pick].root(), k));
    m[r.name + "_example_root_probs"] = root_probs;  // what a model file reloaded must give again
  }
}

}  // namespace ch22
