// Checkpoints and resuming: a run stopped by a signal (or killed after its last checkpoint)
// and resumed ends with exactly the parameters and history of a run that never stopped;
// a NaN loss keeps the last good checkpoint; corrupt checkpoint files give clear errors.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "dlcore/core/interrupt.hpp"
#include "dlcore/io/files.hpp"
#include "dlcore/io/params.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/sgd.hpp"
#include "dlcore/train/checkpoint.hpp"
#include "dlcore/train/fit.hpp"
#include "support/scratch.hpp"

using namespace dl;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return testing::scratch_dir("checkpoint", name); }

void write_bytes(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

// Three noisy Gaussian blobs in 4-D: a small classification problem.
Dataset<Tensor2<float>> blobs(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset<Tensor2<float>> d{Tensor2<float>::from_shape({n, 4}), Labels::from_shape({n})};
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = std::int32_t(rng.below(3));
    d.y(i) = c;
    for (std::size_t j = 0; j < 4; ++j) d.X(i, j) = float(rng.normal(j == std::size_t(c), 0.8));
  }
  return d;
}

// Everything one "process" of the run builds from the seed: generator, network, optimizer.
struct Run {
  Rng rng;
  Sequential<float> net;
  Adam<float> opt{0.01f};
  explicit Run(std::uint64_t seed, bool hidden = true) : rng(seed) {
    if (hidden)
      net.add(Linear<float>(4, 16, rng)).add(ReLU<float>{}).add(Linear<float>(16, 3, rng));
    else  // softmax regression (a ReLU would turn a NaN input into 0)
      net.add(Linear<float>(4, 3, rng));
  }
  std::vector<float> values() {
    std::vector<float> v;
    for (const auto& p : net.params()) v.insert(v.end(), p.value, p.value + p.size());
    return v;
  }
};

FitOptions options(int epochs) {
  FitOptions o;
  o.epochs = epochs;
  o.batch_size = 16;  // 100 examples: 7 batches per epoch, the last one of 4
  o.progress = false;
  return o;
}

const auto train_set = blobs(100, 5);
const auto val_set = blobs(40, 6);

History train(Run& r, const FitOptions& o) {
  return fit(r.net, SoftmaxCrossEntropy<float>{}, r.opt, train_set.X, train_set.y, r.rng, o,
             &val_set);
}

// Bit-identical results: parameters, optimizer steps, generator, and every figure but time.
void require_same_run(Run& a, const History& ha, Run& b, const History& hb) {
  CHECK(a.values() == b.values());
  CHECK(a.opt.steps() == b.opt.steps());
  CHECK(a.rng.state() == b.rng.state());
  CHECK(ha.step_loss == hb.step_loss);
  REQUIRE(ha.epochs.size() == hb.epochs.size());
  for (std::size_t e = 0; e < ha.epochs.size(); ++e) {
    CHECK(ha.epochs[e].epoch == hb.epochs[e].epoch);
    CHECK(ha.epochs[e].train_loss == hb.epochs[e].train_loss);
    CHECK(ha.epochs[e].train_accuracy == hb.epochs[e].train_accuracy);
    CHECK(ha.epochs[e].val_loss == hb.epochs[e].val_loss);
    CHECK(ha.epochs[e].val_accuracy == hb.epochs[e].val_accuracy);
    CHECK(ha.epochs[e].lr == hb.epochs[e].lr);
  }
}

// A run of `epochs` that never stops.
History uninterrupted(Run& r, int epochs) { return train(r, options(epochs)); }

}  // namespace

TEST_CASE("A signal stops the run after its step, and --resume ends bit-identical", "[checkpoint]") {
  const fs::path file = scratch("signal") / "run.npz";
  Run ref(11);
  const History h_ref = uninterrupted(ref, 3);
  REQUIRE(h_ref.step_loss.size() == 21);

  for (const int sig : {SIGINT, SIGTERM}) {
    for (const std::size_t stop_at : {std::size_t(3), std::size_t(7), std::size_t(12)}) {
      INFO("signal " << signal_name(sig) << " during step " << stop_at);
      fs::remove(file);
      {  // the first process: a signal arrives during step `stop_at`
        Run r(11);
        FitOptions o = options(3);
        o.checkpoint = {file};
        o.on_step = [&](std::size_t step, double) {
          if (step == stop_at) std::raise(sig);
        };
        try {
          train(r, o);
          FAIL("fit did not stop on the signal");
        } catch (const Interrupted& e) {
          CHECK(e.signal == sig);
          CHECK_THAT(e.what(), Catch::Contains(signal_name(sig)) && Catch::Contains("run.npz") &&
                                   Catch::Contains(fmt::format("global step {}", stop_at)));
        }
        CHECK(interrupt_signal() == 0);  // handled, and the handlers are back
      }
      // the second process: the same program with --resume
      Run r(11);
      FitOptions o = options(3);
      o.checkpoint = {file, 0, true};
      std::size_t first_step = 0;
      o.on_step = [&](std::size_t step, double) {
        if (!first_step) first_step = step;
      };
      const History h = train(r, o);
      CHECK(first_step == stop_at + 1);  // nothing redone, nothing skipped
      require_same_run(ref, h_ref, r, h);
    }
  }
}

TEST_CASE("A killed run resumes from its last periodic checkpoint, bit-identical", "[checkpoint]") {
  const fs::path file = scratch("killed") / "run.npz";
  Run ref(12);
  const History h_ref = uninterrupted(ref, 3);
  {  // killed during step 11: no chance to save; the checkpoint of step 8 is on disk
    Run r(12);
    FitOptions o = options(3);
    o.checkpoint = {file, 4};
    o.on_step = [](std::size_t step, double) {
      if (step == 11) throw std::runtime_error("SIGKILL");
    };
    REQUIRE_THROWS_WITH(train(r, o), "SIGKILL");
  }
  Run probe(12);
  const FitState saved = load_checkpoint(file, probe.net, probe.opt,
                                         {{"examples", 100}, {"batch_size", 16},
                                          {"shuffle", true}, {"validation", 40}});
  CHECK(saved.global_step == 8);  // the epoch-1 end (7) was overwritten by step 8
  CHECK(saved.epoch == 2);
  CHECK(saved.batch == 1);
  CHECK(probe.opt.steps() == 8);

  Run r(12);
  FitOptions o = options(3);
  o.checkpoint = {file, 4, true};
  const History h = train(r, o);
  require_same_run(ref, h_ref, r, h);
}

TEST_CASE("Resuming a finished run trains no more, and more epochs continue it", "[checkpoint]") {
  const fs::path file = scratch("finished") / "run.npz";
  Run ref(13);
  const History h_ref = uninterrupted(ref, 3);
  {
    Run r(13);
    FitOptions o = options(2);
    o.checkpoint = {file};
    train(r, o);
  }
  {  // the same two epochs again: nothing to do
    Run r(13);
    FitOptions o = options(2);
    o.checkpoint = {file, 0, true};
    std::size_t steps = 0;
    o.on_step = [&](std::size_t, double) { ++steps; };
    const History h = train(r, o);
    CHECK(steps == 0);
    CHECK(h.epochs.size() == 2);
    CHECK(h.step_loss.size() == 14);
  }
  // asked for a third epoch, it continues to what a three-epoch run gives
  Run r(13);
  FitOptions o = options(3);
  o.checkpoint = {file, 0, true};
  const History h = train(r, o);
  require_same_run(ref, h_ref, r, h);
}

TEST_CASE("Early stopping is remembered, with the hooks' own state", "[checkpoint]") {
  const fs::path file = scratch("early") / "run.npz";
  auto stopper = [](int& calls) {
    return [&calls](const EpochRecord& rec) {
      ++calls;
      return rec.epoch < 2;
    };
  };
  int calls = 0;
  {
    Run r(14);
    FitOptions o = options(5);
    o.checkpoint = {file};
    o.on_epoch_end = stopper(calls);
    o.checkpoint.save_extra = [&] { return nlohmann::json{{"calls", calls}}; };
    CHECK(train(r, o).epochs.size() == 2);
  }
  Run r(14);
  FitOptions o = options(5);
  o.checkpoint = {file, 0, true};
  int restored = 0;
  o.on_epoch_end = stopper(calls);
  o.checkpoint.restore_extra = [&](const nlohmann::json& j) { restored = j.at("calls"); };
  const History h = train(r, o);
  CHECK(h.epochs.size() == 2);  // stopped, not continued to 5
  CHECK(restored == 2);
  CHECK(r.opt.steps() == 14);
}

TEST_CASE("Resuming without a checkpoint starts from the beginning", "[checkpoint]") {
  const fs::path file = scratch("fresh") / "none.npz";
  Run ref(15), r(15);
  const History h_ref = uninterrupted(ref, 2);
  FitOptions o = options(2);
  o.checkpoint = {file, 0, true};
  const History h = train(r, o);
  require_same_run(ref, h_ref, r, h);
  CHECK(fs::exists(file));
}

TEST_CASE("A NaN loss stops the run naming the step and keeps the last good checkpoint",
          "[checkpoint][errors]") {
  const fs::path file = scratch("nan") / "run.npz";
  auto poisoned = train_set;
  poisoned.X(40, 2) = NAN;  // in batch 3 (rows 32..47)
  Run r(16, false);
  FitOptions o = options(3);
  o.shuffle = false;
  o.checkpoint = {file, 1};
  bool diverged = false;
  try {
    fit(r.net, SoftmaxCrossEntropy<float>{}, r.opt, poisoned.X, poisoned.y, r.rng, o);
  } catch (const DivergenceError& e) {
    diverged = true;
    CHECK_THAT(e.what(), Catch::Contains("epoch 1, step 3") && Catch::Contains("nan") &&
                             Catch::Contains("checkpoint (step 2)") &&
                             Catch::Contains("run.npz"));
  }
  REQUIRE(diverged);
  // the file on disk is step 2's, whole: the same state as a clean run stopped after step 2
  const fs::path clean = scratch("nan_reference") / "run.npz";
  {
    Run c(16, false);
    FitOptions oc = options(3);
    oc.shuffle = false;
    oc.checkpoint = {clean};
    oc.on_step = [](std::size_t step, double) {
      if (step == 2) std::raise(SIGTERM);
    };
    REQUIRE_THROWS_AS(fit(c.net, SoftmaxCrossEntropy<float>{}, c.opt, train_set.X, train_set.y,
                          c.rng, oc),
                      Interrupted);
  }
  const nlohmann::json settings = {{"examples", 100}, {"batch_size", 16}, {"shuffle", false},
                                   {"validation", 0}};
  Run kept(16, false), expected(16, false);
  const FitState s = load_checkpoint(file, kept.net, kept.opt, settings);
  const FitState s_clean = load_checkpoint(clean, expected.net, expected.opt, settings);
  CHECK(s.global_step == 2);
  CHECK(s.history.step_loss == s_clean.history.step_loss);
  CHECK(kept.values() == expected.values());
  CHECK(kept.opt.steps() == 2);
  for (float v : kept.values()) REQUIRE(std::isfinite(v));
}

TEST_CASE("Corrupt, truncated or mismatched checkpoints give errors naming the file",
          "[checkpoint][errors]") {
  const fs::path d = scratch("corrupt");
  const fs::path file = d / "good.npz";
  {
    Run r(17);
    FitOptions o = options(1);
    o.checkpoint = {file};
    train(r, o);
  }
  const std::string good = read_file(file);
  auto resume = [&](const fs::path& p, FitOptions o = options(2)) {
    Run r(17);
    o.checkpoint = {p, 0, true};
    train(r, o);
  };
  SECTION("truncated") {
    write_bytes(d / "cut.npz", good.substr(0, good.size() * 2 / 3));
    REQUIRE_THROWS_WITH(resume(d / "cut.npz"),
                        Catch::Contains("cut.npz") && Catch::Contains("truncated"));
  }
  SECTION("empty") {
    write_bytes(d / "empty.npz", "");
    REQUIRE_THROWS_AS(resume(d / "empty.npz"), FileError);
    REQUIRE_THROWS_WITH(resume(d / "empty.npz"), Catch::Contains("empty.npz"));
  }
  SECTION("a flipped byte in the optimizer state") {
    std::string bad = good;
    const auto at = good.find("optim/m/0.W.npy");
    REQUIRE(at != std::string::npos);
    bad[at + 15 + 128 + 8] ^= 0x20;  // inside the data of Adam's first moment of 0.W
    write_bytes(d / "flip.npz", bad);
    REQUIRE_THROWS_WITH(resume(d / "flip.npz"), Catch::Contains("flip.npz") &&
                                                    Catch::Contains("optim/m/0.W.npy") &&
                                                    Catch::Contains("CRC"));
  }
  SECTION("a model file is not a checkpoint") {
    Run r(17);
    save_model(d / "model.npz", r.net);
    REQUIRE_THROWS_WITH(resume(d / "model.npz"),
                        Catch::Contains("model.npz") && Catch::Contains("not a checkpoint"));
  }
  SECTION("another architecture") {
    Rng rng(1);
    Sequential<float> other;
    other.add(Linear<float>(4, 8, rng)).add(ReLU<float>{}).add(Linear<float>(8, 3, rng));
    Adam<float> opt(0.01f);
    REQUIRE_THROWS_WITH(load_checkpoint(file, other, opt, {}),
                        Catch::Contains("good.npz") && Catch::Contains("architecture") &&
                            Catch::Contains("Linear(4 -> 8)"));
  }
  SECTION("another optimizer") {
    Run r(17);
    SGD<float> sgd(0.1f);
    REQUIRE_THROWS_WITH(fit(r.net, SoftmaxCrossEntropy<float>{}, sgd, train_set.X, train_set.y,
                            r.rng, [&] {
                              FitOptions o = options(2);
                              o.checkpoint = {file, 0, true};
                              return o;
                            }(), &val_set),
                        Catch::Contains("good.npz") && Catch::Contains("optimizer"));
  }
  SECTION("other settings") {
    FitOptions o = options(2);
    o.batch_size = 32;
    REQUIRE_THROWS_WITH(resume(file, o), Catch::Contains("good.npz") &&
                                             Catch::Contains("batch_size") &&
                                             Catch::Contains("--resume"));
  }
}

TEST_CASE("Every truncation and many byte flips of a checkpoint are caught, never a crash",
          "[checkpoint][errors]") {
  const fs::path d = scratch("fuzz");
  const fs::path file = d / "ck.npz";
  {
    Run r(18);
    FitOptions o = options(1);
    o.checkpoint = {file};
    train(r, o);
  }
  const std::string good = read_file(file);
  Run ref(18);
  const FitState s_ref = load_checkpoint(file, ref.net, ref.opt,
                                         {{"examples", 100}, {"batch_size", 16},
                                          {"shuffle", true}, {"validation", 40}});
  const nlohmann::json settings = {{"examples", 100}, {"batch_size", 16}, {"shuffle", true},
                                   {"validation", 40}};
  std::size_t caught = 0, cases = 0;
  for (std::size_t cut = 0; cut < good.size(); cut += 97) {
    ++cases;
    write_bytes(d / "t.npz", good.substr(0, cut));
    Run r(18);
    try {
      load_checkpoint(d / "t.npz", r.net, r.opt, settings);
    } catch (const Error& e) {
      ++caught;
      CHECK_THAT(e.what(), Catch::Contains("t.npz"));
    }
  }
  CHECK(caught == cases);  // every truncated file is refused
  for (std::size_t at = 0; at < good.size(); at += 61) {
    std::string bad = good;
    bad[at] = char(bad[at] ^ 0x41);
    write_bytes(d / "f.npz", bad);
    Run r(18);
    try {
      const FitState s = load_checkpoint(d / "f.npz", r.net, r.opt, settings);
      // a flip in a field nothing reads (a ZIP date): then the contents are all intact
      CHECK(r.values() == ref.values());
      CHECK(s.global_step == s_ref.global_step);
      CHECK(s.rng_state == s_ref.rng_state);
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::Contains("f.npz"));
    }
  }
}

TEST_CASE("Parameter files: every truncation is refused naming the file", "[params][errors]") {
  const fs::path d = scratch("params_fuzz");
  Run a(19);
  save_model(d / "m.npz", a.net);
  const std::string good = read_file(d / "m.npz");
  for (std::size_t cut = 0; cut < good.size(); cut += 13) {
    write_bytes(d / "t.npz", good.substr(0, cut));
    Run r(20);
    REQUIRE_THROWS_WITH(load_model(d / "t.npz", r.net), Catch::Contains("t.npz"));
  }
  for (std::size_t at = 0; at < good.size(); at += 17) {
    std::string bad = good;
    bad[at] = char(bad[at] ^ 0x41);
    write_bytes(d / "f.npz", bad);
    Run r(20);
    try {
      load_model(d / "f.npz", r.net);
      CHECK(r.values() == a.values());  // only an unread field was hit
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::Contains("f.npz"));
    }
  }
}

TEST_CASE("InterruptGuard turns SIGINT and SIGTERM into a flag, then restores", "[interrupt]") {
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  {
    InterruptGuard outer;
    {
      InterruptGuard inner;  // nested guards: one installation
      std::raise(SIGTERM);
      CHECK(interrupt_signal() == SIGTERM);
    }
    std::raise(SIGINT);  // still guarded after the inner one ended
    CHECK(interrupt_signal() == SIGINT);
    clear_interrupt();
    CHECK(interrupt_signal() == 0);
  }
  struct sigaction after {};
  sigaction(SIGTERM, nullptr, &after);
  CHECK(after.sa_handler == before.sa_handler);
  CHECK(signal_name(SIGINT) == "SIGINT");
  CHECK(signal_name(SIGTERM) == "SIGTERM");
}
