#pragma once
// Chapter 25: the measurements of the chapter program, each one method of Experiments:
// the training run's report, 2 ranks vs 1 process, the scaling rule across batch sizes,
// throughput vs ranks, and the ring all-reduce model. Rank 0 alone prints and writes files.
// Text: docs/ch25_data_parallel.md
#include <algorithm>
#include <cmath>

#include <dlcore/dlcore.hpp>
#include <dlcore/models/imagenet.hpp>

#include "cost_model.hpp"
#include "data_parallel.hpp"

namespace ch25 {

/// The chapter's own flags.
struct Settings {
  std::size_t batch = 256;       ///< global batch of the training run
  double base_lr = 0.01;         ///< SGD rate at base_batch (momentum 0.9)
  std::size_t base_batch = 64;   ///< the batch base_lr is tuned for
  double warmup_epochs = 1;      ///< linear warm-up length
  std::size_t hidden = 128;      ///< the MLP 784-hidden-10
  std::vector<std::size_t> sweep;  ///< global batches of the scaling-rule runs
  std::size_t stop_after = 0;
  bool train_only = false;
};

/// How the learning rate follows the global batch B = k * base_batch.
enum class Rule { none, linear, linear_warmup };
inline const char* rule_name(Rule r) {
  return r == Rule::none ? "same rate" : r == Rule::linear ? "linear rule without warm-up" : "linear rule + warm-up";
}

//! [scaling_rule]
/// Goyal et al. (2017): with k times the batch, k times the rate, reached by a linear ramp
/// from the base rate over the first `warmup_steps` steps.
inline double scaled_lr(Rule rule, double base_lr, double k, std::size_t step, std::size_t warmup_steps) {
  if (rule == Rule::none) return base_lr;
  if (rule == Rule::linear || step >= warmup_steps) return k * base_lr;
  return base_lr + (k - 1) * base_lr * double(step) / double(warmup_steps);
}
//! [scaling_rule]

class Experiments {
 public:
  Experiments(const World& w, const dl::ChapterOptions& opt, const Settings& set, const Data& train,
              const Data& test, nlohmann::json& m)
      : w_(w), opt_(opt), set_(set), train_(train), test_(test), m_(m) {}

  /// The model: 784 -> hidden ReLU -> 10, the same initial weights for every run.
  dl::Sequential<float> mlp() const {
    dl::Rng init(opt_.seed + 1);
    dl::Sequential<float> net;
    net.add(dl::Linear<float>(784, set_.hidden, init)).add(dl::ReLU<float>{}).add(dl::Linear<float>(set_.hidden, 10, init));
    return net;
  }

  /// A run at global batch B with the rate of `rule`.
  RunConfig config(std::size_t B, Rule rule, int epochs) const {
    RunConfig c;
    c.batch = B;
    c.epochs = epochs;
    const double k = double(B) / double(set_.base_batch), lr = set_.base_lr;
    const std::size_t warmup = std::size_t(std::ceil(set_.warmup_epochs * double(train_.size()) / double(B)));
    c.lr = [rule, k, lr, warmup](std::size_t t) { return scaled_lr(rule, lr, k, t, warmup); };
    c.label = fmt::format("B={}", B);
    return c;
  }

  double test_accuracy(dl::Sequential<float>& net) const {
    return dl::evaluate(net, dl::SoftmaxCrossEntropy<float>{}, test_.X, test_.y).accuracy;
  }

  void report_training(dl::Sequential<float>& net, const RunResult& run) {
    const bool same = same_on_every_rank(w_, net);
    if (!w_.root()) return;
    const double acc = test_accuracy(net);
    m_["test_accuracy"] = acc;
    m_["epochs"] = run.history.epochs.size();
    m_["batch_size"] = set_.batch;
    m_["train_seconds"] = run.history.seconds;
    m_["ranks_identical"] = same;
    m_["diverged"] = run.diverged;
    m_["num_params"] = net.num_params();
    fmt::print("training run: global batch {} on {} rank(s), test accuracy {:.4f}; parameters "
               "identical on every rank: {}\n", set_.batch, w_.size, acc, same ? "yes" : "NO");
    dl::plot_history(opt_.out, run.history, fmt::format("MLP, data-parallel SGD on {} rank(s)", w_.size));
    dl::save_model(opt_.out / "model.npz", net, {{"chapter", "ch25_data_parallel"}, {"seed", opt_.seed}});
  }

  /// The same `steps` steps of global batch B three ways: (a) one process, plain batch;
  /// (b) one process, the batch cut into the ranks' shards, their gradients summed in rank
  /// order; (c) data-parallel on every rank. Rank 0 compares the parameters.
  void equivalence(std::size_t steps, std::size_t B) {
    const int p = std::max(w_.size, 2);  // shards of the reference (b)
    auto cfg = [&](int shards) {
      RunConfig c = config(B, Rule::none, 1000000);
      c.max_steps = steps;
      c.virtual_shards = shards;
      return c;
    };
    auto train_with = [&](const World& w, int shards) {
      dl::Sequential<float> net = mlp();
      dl::SGD<float> sgd(float(set_.base_lr), 0.9f);
      dl::Rng rng(opt_.seed);
      DataParallelTrainer(net, sgd, w).run(train_, rng, cfg(shards));
      return flat_params(net);
    };
    std::vector<float> plain, sharded, parallel;
    on_root_alone(w_, [&] {
      const World self = World::of(MPI_COMM_SELF);
      plain = train_with(self, 1);
      sharded = train_with(self, p);
    });
    if (w_.size > 1) parallel = train_with(w_, 1);
    if (!w_.root()) return;
    auto max_diff = [](const std::vector<float>& a, const std::vector<float>& b) {
      double d = 0;
      for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(double(a[i]) - double(b[i])));
      return d;
    };
    double scale = 0;
    for (const float v : plain) scale = std::max(scale, double(std::abs(v)));
    m_["equivalence_steps"] = steps;
    m_["equivalence_batch"] = B;
    m_["param_max_abs"] = scale;
    m_["order_max_abs_diff"] = max_diff(plain, sharded);
    fmt::print("{} steps of batch {}: one process, plain batch vs {} shards summed in order: max |diff| {:.3g}\n",
               steps, B, p, max_diff(plain, sharded));
    if (w_.size > 1) {
      m_["equivalence_max_abs_diff"] = max_diff(parallel, plain);
      m_["equivalence_max_rel_diff"] = max_diff(parallel, plain) / scale;
      m_["equivalence_sharded_max_abs_diff"] = max_diff(parallel, sharded);
      fmt::print("{} ranks vs one process: max |diff| {:.3g} (relative {:.3g}); vs the same shards "
                 "summed in rank order: {:.3g}\n", w_.size, max_diff(parallel, plain),
                 max_diff(parallel, plain) / scale, max_diff(parallel, sharded));
    }
  }

  /// Test accuracy after the same number of epochs at every global batch, for each rule.
  void scaling_rule() {
    std::vector<std::vector<double>> acc(3);
    std::vector<double> batches, diverged(3 * set_.sweep.size(), 0.0);
    for (std::size_t i = 0; i < set_.sweep.size(); ++i) {
      const std::size_t B = set_.sweep[i];
      batches.push_back(double(B));
      for (int r = 0; r < 3; ++r) {
        const Rule rule = Rule(r);
        // at the base batch the three rules are one and the same run
        if (B == set_.base_batch && r > 0) {
          acc[r].push_back(acc[0].back());
          continue;
        }
        dl::Sequential<float> net = mlp();
        dl::SGD<float> sgd(float(set_.base_lr), 0.9f);
        dl::Rng rng(opt_.seed);
        const RunResult res = DataParallelTrainer(net, sgd, w_).run(train_, rng, config(B, rule, opt_.epochs));
        const double a = w_.root() ? test_accuracy(net) : 0;
        acc[r].push_back(a);
        diverged[3 * i + r] = res.diverged;
        if (w_.root())
          fmt::print("global batch {:5d}, {:24s}: test accuracy {:.4f}{}\n", B, rule_name(rule), a,
                     res.diverged ? " (diverged)" : "");
      }
    }
    if (!w_.root()) return;
    std::vector<std::vector<double>> cols = {batches, acc[0], acc[1], acc[2]};
    dl::write_csv(opt_.out / "scaling_rule_table.csv",
                  {"global_batch", "acc_same_lr", "acc_linear", "acc_linear_warmup"}, cols);
    dl::plot::Figure f(fmt::format("Test accuracy after {} epoch(s) vs global batch (SGD, rate {} at batch {})",
                                   opt_.epochs, set_.base_lr, set_.base_batch),
                       "global batch size", "test accuracy");
    for (int r = 0; r < 3; ++r) f.linespoints(rule_name(Rule(r)), batches, acc[r]);
    f.log_x().raw("set logscale x 2").key("bottom left").save(opt_.out / "scaling_rule.svg");
    for (std::size_t i = 0; i < batches.size(); ++i) {
      m_[fmt::format("scaling_b{}_same_lr", set_.sweep[i])] = acc[0][i];
      m_[fmt::format("scaling_b{}_linear", set_.sweep[i])] = acc[1][i];
      m_[fmt::format("scaling_b{}_linear_warmup", set_.sweep[i])] = acc[2][i];
    }
    m_["scaling_diverged_runs"] = std::count(diverged.begin(), diverged.end(), 1.0);
  }

  /// Images per second of `steps` training steps at global batch B: one rank with one and
  /// with two BLAS threads (the other ranks idle), then every rank with one thread each;
  /// and the time of one gradient all-reduce.
  void throughput(std::size_t B, std::size_t steps) {
    auto time_steps = [&](const World& w) {
      dl::Sequential<float> net = mlp();
      dl::SGD<float> sgd(float(set_.base_lr), 0.9f);
      dl::Rng rng(opt_.seed);
      RunConfig c = config(B, Rule::none, 1000000);
      c.max_steps = 3;  // warm the caches and the allocations
      DataParallelTrainer t(net, sgd, w);
      t.run(train_, rng, c);
      c.max_steps = steps;
      return double(steps * B) / t.run(train_, rng, c).seconds;
    };
    const int threads = dl::num_threads();
    double one = 0, one_two_threads = 0, all = 0;
    on_root_alone(w_, [&] {
      dl::set_num_threads(1);
      one = time_steps(World::of(MPI_COMM_SELF));
      dl::set_num_threads(2);
      one_two_threads = time_steps(World::of(MPI_COMM_SELF));
      dl::set_num_threads(threads);
    });
    if (w_.size > 1) all = time_steps(w_);
    // the all-reduce alone: the gradient of the MLP, 20 times
    dl::Sequential<float> net = mlp();
    std::vector<float> buf;
    MPI_Barrier(w_.comm);
    dl::Stopwatch sw;
    for (int i = 0; i < 20; ++i) average_gradients(net.params(), B, w_.comm, buf);
    const double allreduce_ms = sw.seconds() / 20 * 1e3;
    if (!w_.root()) return;
    m_["throughput_batch"] = B;
    m_["images_per_second_1rank_1thread"] = one;
    m_["images_per_second_1rank_2threads"] = one_two_threads;
    fmt::print("throughput at global batch {}: 1 rank x 1 thread {:.0f} images/s, 1 rank x 2 threads {:.0f}", B, one,
               one_two_threads);
    std::vector<double> x = {1}, y = {one};
    if (w_.size > 1) {
      m_[fmt::format("images_per_second_{}ranks", w_.size)] = all;
      m_["speedup"] = all / one;
      m_["allreduce_ms"] = allreduce_ms;
      m_["allreduce_bytes"] = 4 * net.num_params();
      fmt::print(", {} ranks x 1 thread {:.0f} ({:.2f}x); one all-reduce of {} floats: {:.3f} ms", w_.size, all,
                 all / one, net.num_params(), allreduce_ms);
      x.push_back(w_.size);
      y.push_back(all);
    }
    fmt::print("\n");
    dl::plot::Figure f(fmt::format("Measured throughput, MLP, global batch {}, this machine", B), "MPI ranks",
                       "training images per second");
    f.linespoints("ranks x 1 BLAS thread", x, y).points("1 rank x 2 BLAS threads", {1}, {one_two_threads}, "ps 2")
        .line("ideal (linear in ranks)", {1, double(std::max(w_.size, 2))}, {one, one * std::max(w_.size, 2)}, "dt 2")
        .xrange(0.5, std::max(w_.size, 2) + 0.5).raw("set yrange [0:*]").key("bottom right");
    f.save(opt_.out / "throughput.svg");
  }

  /// The ring all-reduce's time per step for the book's models (parameter counts from
  /// dlcore's model builders) at 1, 8, 64 and 512 workers on 10 and 100 GB/s links.
  void cost_model(std::size_t mlp_params) {
    if (!w_.root()) return;
    std::vector<std::pair<std::string, double>> models = {{"ch25 MLP 784-128-10", double(mlp_params)}};
    dl::Rng init(1);
    auto count = [&](dl::Sequential<float> net) { return double(net.num_params()); };
    {
      dl::Sequential<float> ch07;
      ch07.add(dl::Linear<float>(784, 512, init)).add(dl::ReLU<float>{}).add(dl::Linear<float>(512, 10, init));
      models.push_back({"ch07 MLP 784-512-10", count(std::move(ch07))});
    }
    models.push_back({"ch13 LeNet-5", count(dl::lenet5<float>(init))});
    models.push_back({"ch13 seed CNN", count(dl::seed_cnn<float>(init))});
    if (!opt_.quick) {  // hundreds of MB of weights each: left out of the quick run
      models.push_back({"ch14 ResNet-50", count(dl::resnet50<float>(init))});
      models.push_back({"ch14 AlexNet", count(dl::alexnet<float>(init))});
      models.push_back({"ch14 VGG-16", count(dl::vgg16<float>(init))});
    }
    std::string table = "model,parameters,megabytes,workers,GB_per_s,milliseconds\n";
    dl::plot::Figure f("A MODEL, not a measurement: ring all-reduce of the gradient, 2(p-1)/p x bytes / bandwidth",
                       "workers p", "all-reduce time per step (ms, modelled)");
    int colour = 0;
    fmt::print("ring all-reduce model (ms per step) at p = 1, 8, 64, 512 workers:\n");
    for (const auto& [name, params] : models) {
      const double bytes = 4 * params;
      ++colour;  // one colour per model: solid 10 GB/s, dashed 100 GB/s
      for (const double gbs : {10.0, 100.0}) {
        std::vector<double> xs, ys;
        for (std::size_t p = 2; p <= 512; p *= 2) {
          xs.push_back(double(p));
          ys.push_back(1e3 * ring_allreduce_seconds(bytes, p, gbs * 1e9));
        }
        f.line(fmt::format("{} ({:.0f} GB/s)", name, gbs), xs, ys, fmt::format("lw 2 lc {}{}", colour, gbs == 10 ? "" : " dt 2"));
        std::string row;
        for (const std::size_t p : {1, 8, 64, 512}) {
          const double ms = 1e3 * ring_allreduce_seconds(bytes, p, gbs * 1e9);
          table += fmt::format("\"{}\",{:.0f},{:.3f},{},{:.0f},{:.6g}\n", name, params, bytes / 1e6, p, gbs, ms);
          row += fmt::format(" {:9.4g}", ms);
        }
        fmt::print("  {:22s} {:11.0f} params, {:3.0f} GB/s:{}\n", name, params, gbs, row);
        if (p_keys_.count(name))
          m_[fmt::format("ring_model_{}_p512_{:.0f}GBps_ms", p_keys_.at(name), gbs)] =
              1e3 * ring_allreduce_seconds(bytes, 512, gbs * 1e9);
      }
    }
    dl::write_file_atomic(opt_.out / "ring_model_table.csv", table);
    f.log_x().log_y().raw("set logscale x 2").key("outside right").size(1100, 520).save(opt_.out / "ring_model.svg");
  }

  void finish(double seconds) {
    if (!w_.root()) return;
    m_["seconds"] = seconds;
    dl::write_json(opt_.out / "metrics.json", m_);
    fmt::print("wrote {}\n", (opt_.out / "metrics.json").string());
  }

 private:
  const World& w_;
  const dl::ChapterOptions& opt_;
  const Settings& set_;
  const Data& train_;
  const Data& test_;
  nlohmann::json& m_;
  const std::map<std::string, std::string> p_keys_ = {{"ch25 MLP 784-128-10", "mlp"}, {"ch14 ResNet-50", "resnet50"}};
};

}  // namespace ch25
