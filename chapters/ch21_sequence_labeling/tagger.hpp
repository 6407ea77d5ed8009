#pragma once
// Chapter 21's tagger: character ids -> Embedding -> BiLSTM -> one Linear per step -> emission
// scores (T, N, K), read out either step by step (softmax) or as a whole path (CRF); batches
// of similar lengths; training with the best epoch by validation span F1.
#include <dlcore/dlcore.hpp>

namespace ch21 {

using namespace dl;

/// Characters and their tags: X (N, T_max) ids, y (N, T_max) tags, lengths.
using TagData = Dataset<Tensor2<float>, Tags>;

/// How the emissions become tags: each step on its own, or a linear-chain CRF.
enum class Head { softmax, crf };
inline std::string to_string(Head h) { return h == Head::softmax ? "softmax" : "crf"; }

struct Settings {
  std::size_t embed = 32, hidden = 64, batch_size = 32;
  float lr = 2e-3f;
  /// Adam's learning rate for the CRF's transition, start and end scores. The scores of the
  /// transitions no correct tagging uses get a small gradient of one sign at every step, and
  /// Adam moves a parameter by about its learning rate per step whatever the gradient's size:
  /// at the network's rate they could fall only a few units in a run (see the chapter).
  float crf_lr = 2e-2f;
  double clip = 5.0;  ///< global gradient norm limit
  int epochs = 8;
  bool progress = true;
};

/// A batch: some sequences of a dataset, cut to the longest of them.
struct Batch {
  Tensor2<float> ids;  // (N, T)
  Tags tags;           // (N, T)
  Lengths lengths;
  std::vector<std::size_t> rows;  // which sequences of the dataset
};

inline Batch gather(const TagData& d, std::vector<std::size_t> rows) {
  Batch b;
  std::size_t T = 1;
  for (auto r : rows) T = std::max(T, d.lengths[r]);
  const std::size_t N = rows.size(), W = d.X.shape(1);
  b.ids = xt::zeros<float>({N, T});
  b.tags = Tags::from_shape({N, T});
  for (std::size_t i = 0; i < N; ++i) {
    std::copy_n(d.X.data() + rows[i] * W, T, b.ids.data() + i * T);
    std::copy_n(d.y.data() + rows[i] * W, T, b.tags.data() + i * T);
    b.lengths.push_back(d.lengths[rows[i]]);
  }
  b.rows = std::move(rows);
  return b;
}

/// The model: emissions from a Sequential, the CRF's scores beside it (unused by the softmax head).
struct Tagger {
  Head head;
  Sequential<float> net;      // ids (N, T) -> emissions (T N, K), step-major
  LinearChainCRF<float> crf;  // transition, start and end scores
  SequenceCrossEntropy<float> ce;

  Tagger(Head h, std::size_t vocab, std::size_t K, const Settings& s, Rng& rng) : head(h), crf(K) {
    //! [tagger]
    net.add(Embedding<float>(vocab, s.embed, rng))                  // ids -> (T, N, E)
        .add(BiLSTM<float>(s.embed, s.hidden, rng))                 // -> (T, N, 2H)
        .add(FlattenSteps<float>(0))                                // -> (T N, 2H)
        .add(Linear<float>(2 * s.hidden, K, rng));                  // -> emissions (T N, K)
    //! [tagger]
  }

  std::vector<ParamRef<float>> params() {
    auto p = net.params();
    if (head == Head::crf)
      for (auto r : crf.params()) p.push_back({"crf." + r.name, r.value, r.grad, r.shape, r.decay});
    return p;
  }

  /// Emission scores E (T, N, K) of a batch.
  Tensor3<float> emissions(const Batch& b, Mode mode, Rng* rng = nullptr) {
    const Tensor2<float> out = net.forward2(b.ids, Context{mode, rng, &b.lengths});
    Tensor3<float> e = Tensor3<float>::from_shape({b.ids.shape(1), b.ids.shape(0), out.shape(1)});
    std::copy(out.begin(), out.end(), e.begin());
    return e;
  }

  /// One training step's forward and backward (gradients accumulate): the mean loss per character.
  float loss_and_backward(const Batch& b, Rng& rng) {
    //! [training_step]
    const Tensor3<float> e = emissions(b, Mode::train, &rng);
    Tensor3<float> de;
    float loss;
    if (head == Head::crf) {  // -log p(y | x) of the whole tag path
      LinearChainCRF<float>::Cache cache;
      loss = crf.forward(e, b.tags, &b.lengths, cache);
      de = crf.backward(cache);
    } else {                  // -log p(y_t | x) at every step on its own
      SequenceCrossEntropy<float>::Cache cache;
      loss = ce.forward(e, b.tags, &b.lengths, cache);
      de = ce.backward(cache);
    }
    Tensor2<float> de2 = Tensor2<float>::from_shape({de.shape(0) * de.shape(1), de.shape(2)});
    std::copy(de.begin(), de.end(), de2.begin());
    net.backward(de2);  // through the Linear, the BiLSTM and the embedding
    //! [training_step]
    return loss;
  }

  /// The loss without a backward pass, and the predicted tags (N, T), -1 at padding.
  std::pair<double, Tags> evaluate(const Batch& b) {
    const Tensor3<float> e = emissions(b, Mode::eval);
    if (head == Head::crf) {
      LinearChainCRF<float>::Cache cache;
      const double l = crf.forward(e, b.tags, &b.lengths, cache);
      return {l, crf.decode(e, &b.lengths)};  // the best path: Viterbi
    }
    SequenceCrossEntropy<float>::Cache cache;
    const double l = ce.forward(e, b.tags, &b.lengths, cache);
    return {l, argmax_tags(e, &b.lengths)};  // the best tag of each step
  }
};

/// Loss per character and predicted tags (N, T_max) of a whole dataset.
struct Predictions {
  double loss = 0;
  Tags tags;
  TaggingScores scores;
};

inline Predictions predict(Tagger& m, const TagData& d, std::size_t batch_size = 256) {
  Predictions p;
  p.tags = Tags::from_shape(d.y.shape());
  p.tags.fill(-1);
  double loss_sum = 0;
  std::size_t chars = 0;
  for (auto& rows : length_batches(d.lengths, batch_size, nullptr)) {
    const Batch b = gather(d, rows);
    const auto [l, tags] = m.evaluate(b);
    std::size_t c = 0;
    for (auto L : b.lengths) c += L;
    loss_sum += l * double(c);
    chars += c;
    for (std::size_t i = 0; i < b.rows.size(); ++i)
      std::copy_n(tags.data() + i * tags.shape(1), b.lengths[i], p.tags.data() + b.rows[i] * d.y.shape(1));
  }
  p.loss = loss_sum / double(chars);
  p.scores = score_tagging(d.y, p.tags, d.lengths);
  return p;
}

/// What one model's training measured.
struct EpochFigures {
  int epoch = 0;
  double train_loss = 0, val_loss = 0, seconds = 0;
  TaggingScores val;
};
struct Run {
  Head head;
  std::vector<EpochFigures> epochs;
  int best_epoch = 0;  ///< by validation span F1; its parameters are the model's at the end
  Predictions test;
  double seconds = 0;
  std::size_t num_params = 0;
};

/// Adam on mini-batches of similar lengths, the gradient norm clipped; after every epoch the
/// validation figures; at the end the parameters of the best epoch (validation span F1).
inline Run train(Tagger& m, const TagData& train_set, const TagData& val, const Settings& s, Rng& rng) {
  Run run;
  run.head = m.head;
  Stopwatch clock;
  auto params = m.params();
  run.num_params = count_params(params);
  // two parameter groups: the network's and the CRF's scores, each with its own Adam
  std::vector<ParamRef<float>> net_params, crf_params;
  for (const auto& p : params) (p.name.rfind("crf.", 0) == 0 ? crf_params : net_params).push_back(p);
  Adam<float> opt(s.lr), crf_opt(s.crf_lr);
  std::vector<std::vector<float>> best;
  double best_f1 = -1;
  for (int epoch = 1; epoch <= s.epochs; ++epoch) {
    Stopwatch epoch_clock;
    const auto batches = length_batches(train_set.lengths, s.batch_size, &rng);
    Progress bar(batches.size(), fmt::format("{} epoch {}/{}", to_string(m.head), epoch, s.epochs), s.progress);
    double loss_sum = 0;
    std::size_t chars = 0;
    for (std::size_t k = 0; k < batches.size(); ++k) {
      const Batch b = gather(train_set, batches[k]);
      zero_grad(params);
      const float l = m.loss_and_backward(b, rng);
      if (!std::isfinite(l)) throw DivergenceError(fmt::format("{}: the loss is {} at epoch {}", to_string(m.head), l, epoch));
      clip_grad_norm(params, s.clip);
      opt.step(net_params);
      if (!crf_params.empty()) crf_opt.step(crf_params);
      std::size_t c = 0;
      for (auto L : b.lengths) c += L;
      loss_sum += double(l) * double(c);
      chars += c;
      bar.update(k + 1, fmt::format("loss {:.4f}", loss_sum / double(chars)));
    }
    EpochFigures f;
    f.epoch = epoch;
    f.train_loss = loss_sum / double(chars);
    const Predictions v = predict(m, val);
    f.val_loss = v.loss;
    f.val = v.scores;
    f.seconds = epoch_clock.seconds();
    bar.finish(fmt::format("loss {:.4f} | val loss {:.4f} F1 {:.4f} acc {:.4f} invalid {}", f.train_loss, f.val_loss,
                           f.val.f1(), f.val.token_accuracy(), f.val.invalid_transitions));
    run.epochs.push_back(f);
    if (f.val.f1() > best_f1) {  // keep the best epoch's parameters
      best_f1 = f.val.f1();
      run.best_epoch = epoch;
      best.clear();
      for (const auto& p : params) best.emplace_back(p.value, p.value + p.size());
    }
  }
  for (std::size_t i = 0; i < params.size(); ++i) std::copy(best[i].begin(), best[i].end(), params[i].value);
  run.seconds = clock.seconds();
  return run;
}

}  // namespace ch21
