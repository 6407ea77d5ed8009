#pragma once
// Chapter 21's figures and metrics: learning curves of both taggers, the test figures, the
// CRF's learned transition scores, one test string as each model sees it, and a few test
// strings segmented by both.
#include <limits>

#include <datasets/word_tagging.hpp>
#include <dlcore/dlcore.hpp>

#include "exercise.hpp"
#include "tagger.hpp"

namespace ch21 {

using namespace dl;

inline std::string head_color(Head h) { return h == Head::softmax ? "lc rgb '#d95f02'" : "lc rgb '#1b9e77'"; }

// "chat/fr wald/de casa/es": each span as its characters and language; characters in no span
// (a stray I) in brackets with a question mark.
inline std::string segmented(const std::u32string& text, const std::int32_t* tags) {
  const auto& codes = datasets::language_codes();
  std::string out;
  std::size_t t = 0;
  for (const auto& s : bio_spans(tags, text.size())) {
    if (t < s.begin) out += (out.empty() ? "" : " ") + ("[" + datasets::to_utf8(text.substr(t, s.begin - t)) + "]?");
    out += (out.empty() ? "" : " ") + datasets::to_utf8(text.substr(s.begin, s.end - s.begin)) + "/" +
           codes[std::size_t(s.type)];
    t = s.end;
  }
  if (t < text.size()) out += (out.empty() ? "" : " ") + ("[" + datasets::to_utf8(text.substr(t)) + "]?");
  return out;
}

// Metrics softmax_test_span_f1, crf_test_invalid_transitions, ...; learning curves.
inline void report_runs(const std::filesystem::path& out, const std::vector<Run>& runs, nlohmann::json& m) {
  plot::Figure loss("Loss per character (train solid, validation dashed)", "epoch", "nats per character");
  plot::Figure f1("Validation span F1 per epoch", "epoch", "span F1");
  plot::Figure invalid("Invalid transitions in the validation predictions", "epoch", "invalid transitions");
  for (auto* f : {&loss, &f1, &invalid}) f->raw("set grid");
  f1.key("bottom right");
  for (const auto& r : runs) {
    const std::string h = to_string(r.head);
    std::vector<double> e, tl, vl, vf, vi;
    for (const auto& f : r.epochs) {
      e.push_back(f.epoch);
      tl.push_back(f.train_loss);
      vl.push_back(f.val_loss);
      vf.push_back(f.val.f1());
      vi.push_back(double(f.val.invalid_transitions));
    }
    const std::string name = h == "softmax" ? "BiLSTM-softmax" : "BiLSTM-CRF";
    loss.linespoints(name + " train", e, tl, head_color(r.head)).linespoints(name + " validation", e, vl, head_color(r.head) + " dt 2");
    f1.linespoints(name, e, vf, head_color(r.head) + " lw 2");
    invalid.linespoints(name, e, vi, head_color(r.head) + " lw 2");
    const TaggingScores& s = r.test.scores;
    m[h + "_test_token_accuracy"] = s.token_accuracy();
    m[h + "_test_span_f1"] = s.f1();
    m[h + "_test_span_precision"] = s.precision();
    m[h + "_test_span_recall"] = s.recall();
    m[h + "_test_invalid_transitions"] = s.invalid_transitions;
    m[h + "_test_invalid_strings"] = s.invalid_sequences;
    m[h + "_test_exact_strings"] = double(s.exact_sequences) / double(s.sequences);
    m[h + "_test_loss"] = r.test.loss;
    m[h + "_best_epoch"] = r.best_epoch;
    m[h + "_val_span_f1"] = r.epochs[std::size_t(r.best_epoch - 1)].val.f1();
    m[h + "_num_params"] = r.num_params;
    m[h + "_seconds_per_epoch"] = r.seconds / double(r.epochs.size());
    fmt::print("{:>8}: test token accuracy {:.4f}, span F1 {:.4f} (P {:.4f}, R {:.4f}), invalid transitions {} in {} of {} strings, "
               "{:.1f} s per epoch\n",
               h, s.token_accuracy(), s.f1(), s.precision(), s.recall(), s.invalid_transitions, s.invalid_sequences,
               s.sequences, r.seconds / double(r.epochs.size()));
  }
  loss.save(out / "loss.svg");
  f1.save(out / "val_f1.svg");
  invalid.save(out / "val_invalid.svg");
}

// The CRF's learned scores: A as a K x K heat map, start and end as a 2 x K one.
inline void plot_transitions(const std::filesystem::path& out, const LinearChainCRF<float>& crf, nlohmann::json& m) {
  const auto& names = datasets::language_tag_names();
  const std::size_t K = crf.num_tags();
  Tensor2<double> A = xt::cast<double>(crf.A), se = Tensor2<double>::from_shape({2, K});
  for (std::size_t k = 0; k < K; ++k) se(0, k) = crf.start(k), se(1, k) = crf.end(k);
  plot::heatmap_signed(out / "transitions.svg", A, names, names,
                       "Learned transition scores A(previous, next)", "next tag", "previous tag");
  plot::heatmap_signed(out / "start_end.svg", se, {"start", "end"}, names,
                       "Learned start and end scores", "tag", "");
  // how far the learned scores put the transitions a valid tagging never uses below the others
  double worst_valid = 1e30, best_invalid = -1e30;
  for (std::size_t i = 0; i < K; ++i)
    for (std::size_t j = 0; j < K; ++j) {
      if (bio_transition_valid(std::int32_t(i), std::int32_t(j))) worst_valid = std::min(worst_valid, double(crf.A(i, j)));
      else best_invalid = std::max(best_invalid, double(crf.A(i, j)));
    }
  m["crf_max_invalid_transition_score"] = best_invalid;
  m["crf_min_valid_transition_score"] = worst_valid;
}

// The trained CRF decoded under the BIO rules set by hand: the 40 transitions no correct
// tagging contains, and a start with an I, at -inf, so that Viterbi cannot choose them
// (Exercise 21.3 does the same for the softmax tagger's emissions). The learned scores are
// restored afterwards.
inline void report_constrained(Tagger& tagger, const TagData& test, nlohmann::json& m) {
  LinearChainCRF<float>& crf = tagger.crf;
  const Tensor2<float> A = crf.A;
  const Tensor1<float> start = crf.start;
  const float inf = std::numeric_limits<float>::infinity();
  const std::size_t K = crf.num_tags();
  for (std::size_t j = 0; j < K; ++j) {
    if (!bio_transition_valid(-1, std::int32_t(j))) crf.start(j) = -inf;
    for (std::size_t i = 0; i < K; ++i)
      if (!bio_transition_valid(std::int32_t(i), std::int32_t(j))) crf.A(i, j) = -inf;
  }
  const Predictions p = predict(tagger, test);
  crf.A = A;
  crf.start = start;
  const TaggingScores& s = p.scores;
  m["crf_constrained_test_token_accuracy"] = s.token_accuracy();
  m["crf_constrained_test_span_f1"] = s.f1();
  m["crf_constrained_test_invalid_transitions"] = s.invalid_transitions;
  fmt::print("crf, BIO rules set by hand: test token accuracy {:.4f}, span F1 {:.4f}, invalid transitions {}\n",
             s.token_accuracy(), s.f1(), s.invalid_transitions);
}

// One test string as both models see it: the softmax tagger's per-step probabilities and the
// CRF's marginals p(y_t = k | x), tags down, characters across. Picks the first test string
// on which the softmax tagger makes an invalid transition and the CRF is right everywhere.
inline void plot_example(const std::filesystem::path& out, Tagger& softmax, Tagger& crf,
                         const datasets::TaggedStrings& test, const TagData& test_set,
                         const Predictions& ps, const Predictions& pc, nlohmann::json& m) {
  const std::size_t W = test_set.y.shape(1);
  std::size_t pick = 0;
  for (std::size_t n = 0; n < test.size(); ++n) {
    const std::size_t L = test.text[n].size();
    const TaggingScores a = score_tagging(Tags(xt::view(test_set.y, xt::range(n, n + 1), xt::all())),
                                          Tags(xt::view(ps.tags, xt::range(n, n + 1), xt::all())), {L});
    const bool crf_right = std::equal(pc.tags.data() + n * W, pc.tags.data() + n * W + L, test_set.y.data() + n * W);
    if (a.invalid_transitions > 0 && crf_right && L <= 30) {
      pick = n;
      break;
    }
  }
  const Batch b = gather(test_set, {pick});
  const std::size_t L = b.lengths[0], K = crf.crf.num_tags();
  std::vector<std::string> chars;
  for (char32_t c : test.text[pick]) chars.push_back(datasets::to_utf8(std::u32string(1, c)));
  const Tensor3<float> es = softmax.emissions(b, Mode::eval), ec = crf.emissions(b, Mode::eval);
  const Tensor3<float> pcrf = crf.crf.marginals(ec, &b.lengths);
  Tensor2<double> P = Tensor2<double>::from_shape({K, L}), Q = P;
  for (std::size_t t = 0; t < L; ++t) {
    double z = 0, mx = -1e30;
    for (std::size_t k = 0; k < K; ++k) mx = std::max(mx, double(es(t, 0, k)));
    for (std::size_t k = 0; k < K; ++k) z += std::exp(double(es(t, 0, k)) - mx);
    for (std::size_t k = 0; k < K; ++k) {
      P(k, t) = std::exp(double(es(t, 0, k)) - mx) / z;
      Q(k, t) = pcrf(t, 0, k);
    }
  }
  const std::string text = datasets::to_utf8(test.text[pick]);
  plot::heatmap(out / "example_softmax.svg", P, datasets::language_tag_names(), chars,
                "BiLSTM-softmax: p(tag) at each character of \"" + text + "\"", "character", "tag", false);
  plot::heatmap(out / "example_crf.svg", Q, datasets::language_tag_names(), chars,
                "BiLSTM-CRF: marginals p(y_t = tag | x) of \"" + text + "\"", "character", "tag", false);
  m["example_string"] = text;
  m["example_truth"] = segmented(test.text[pick], test_set.y.data() + pick * W);
  m["example_softmax"] = segmented(test.text[pick], ps.tags.data() + pick * W);
  m["example_crf"] = segmented(test.text[pick], pc.tags.data() + pick * W);
}

// A few test strings segmented by both models, printed and written to examples.txt.
inline void write_examples(const std::filesystem::path& out, const datasets::TaggedStrings& test,
                           const TagData& test_set, const std::vector<const Predictions*>& preds, std::size_t count) {
  const std::size_t W = test_set.y.shape(1);
  std::string s;
  for (std::size_t n = 0; n < std::min(count, test.size()); ++n) {
    s += fmt::format("{}\n  truth    {}\n", datasets::to_utf8(test.text[n]), segmented(test.text[n], test_set.y.data() + n * W));
    if (preds[0]) s += fmt::format("  softmax  {}\n", segmented(test.text[n], preds[0]->tags.data() + n * W));
    if (preds[1]) s += fmt::format("  crf      {}\n", segmented(test.text[n], preds[1]->tags.data() + n * W));
  }
  fmt::print("{}", s);
  write_file_atomic(out / "examples.txt", s);
}

// Exercises 21.1 and 21.2 against the library's CRF on random scores.
inline std::pair<bool, bool> exercises_match_library() {
  const std::size_t K = 4, L = 7;
  Rng rng(21);
  LinearChainCRF<double> crf(K);
  Matrix e(L, std::vector<double>(K)), A(K, std::vector<double>(K));
  std::vector<double> start(K), end(K);
  Tensor3<double> E = Tensor3<double>::from_shape({L, 1, K});
  for (std::size_t t = 0; t < L; ++t)
    for (std::size_t k = 0; k < K; ++k) E(t, 0, k) = e[t][k] = 3 * rng.normal();
  for (std::size_t i = 0; i < K; ++i) {
    for (std::size_t j = 0; j < K; ++j) crf.A(i, j) = A[i][j] = rng.normal();
    crf.start(i) = start[i] = rng.normal();
    crf.end(i) = end[i] = rng.normal();
  }
  const bool log_z = std::abs(crf_log_partition(e, A, start, end) - crf.log_partition(E, nullptr)[0]) < 1e-9;
  const Tags best = crf.decode(E, nullptr);
  const std::vector<int> mine = crf_viterbi(e, A, start, end);
  bool path = mine.size() == L;
  for (std::size_t t = 0; path && t < L; ++t) path = mine[t] == best(0, t);
  return {log_z, path};
}

}  // namespace ch21
