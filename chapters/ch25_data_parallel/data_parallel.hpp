#pragma once
// Chapter 25: synchronous data-parallel SGD over MPI, the training loop of every rank.
// Every rank holds the whole model and the whole dataset, draws the same shuffled order
// from the same generator, computes the gradient of ITS shard of every global batch, and
// the ranks average their gradients with one all-reduce (exercise 25.1) before the same
// optimizer step: the parameters stay identical on every rank without ever being sent.
// Text: docs/ch25_data_parallel.md
#include <mpi.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>
#include <utility>

#include <dlcore/dlcore.hpp>

#include "exercise.hpp"

namespace ch25 {

using dl::Labels;
using dl::Tensor2;
using Data = dl::Dataset<Tensor2<float>, Labels>;

/// The MPI job as one rank sees it: a communicator, this rank's number and the job's size.
struct World {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0, size = 1;
  static World of(MPI_Comm c) {
    World w;
    w.comm = c;
    MPI_Comm_rank(c, &w.rank);
    MPI_Comm_size(c, &w.size);
    return w;
  }
  bool root() const { return rank == 0; }
};

//! [shard]
/// Rows [lo, hi) of a global batch of n rows that worker r of p computes: contiguous,
/// in rank order, sizes differing by at most one (n = 10, p = 4: 2, 3, 2, 3 rows).
inline std::pair<std::size_t, std::size_t> shard(std::size_t n, std::size_t r, std::size_t p) {
  return {n * r / p, n * (r + 1) / p};
}
//! [shard]

/// Rank 0 alone runs `fn` while the other ranks wait without spinning (a blocking
/// MPI_Barrier polls at full speed and would steal the core `fn` is timed on).
inline void on_root_alone(const World& w, const std::function<void()>& fn) {
  if (w.root()) fn();
  MPI_Request req;
  MPI_Ibarrier(w.comm, &req);
  for (int done = 0;;) {
    MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (done) break;
    if (!w.root()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

/// One training run of the loop below.
struct RunConfig {
  std::size_t batch = 128;      ///< the GLOBAL batch B, split over the ranks
  int epochs = 1;               ///< epochs, unless max_steps ends the run first
  std::size_t max_steps = 0;    ///< stop after this many steps (0: run every epoch)
  /// One process computing this many shards one after the other and summing their
  /// gradients in shard order: what p ranks compute, without MPI (the bit-exact reference).
  int virtual_shards = 1;
  std::function<double(std::size_t step)> lr;  ///< the rate of 0-based global step t
  bool progress = false;        ///< rank 0 draws a progress bar
  std::string label = "train";
  dl::CheckpointOptions checkpoint;  ///< rank 0 writes; every rank reads on --resume
  std::size_t stop_after = 0;   ///< checkpoint and stop after this global step (a job's time limit)
  std::size_t eval_every_epoch = 0;  ///< nonzero: rank 0 evaluates on `val` after each epoch
};

struct RunResult {
  dl::History history;
  bool diverged = false;  ///< the loss became NaN or infinite (every rank sees the same sum)
  bool stopped = false;   ///< stopped by stop_after, with a checkpoint
  bool reached_max_steps = false;
  std::size_t steps = 0;  ///< global steps done (in this and earlier, resumed runs)
  double seconds = 0;     ///< wall time of this process's part
};

/// Data-parallel SGD: the loop every rank runs, in lockstep with the others.
class DataParallelTrainer {
 public:
  DataParallelTrainer(dl::Sequential<float>& net, dl::Optimizer<float>& opt, const World& world)
      : net_(net), opt_(opt), w_(world), params_(net.params()) {}

  RunResult run(const Data& train, dl::Rng& rng, const RunConfig& cfg, const Data* val = nullptr);

 private:
  double shard_gradient(const Data& train, const std::vector<std::size_t>& order, std::size_t lo,
                        std::size_t hi, dl::Rng& rng, std::size_t& hits);
  void step(const Data& train, const std::vector<std::size_t>& order, std::size_t begin,
            std::size_t end, dl::Rng& rng, int shards, double& loss_sum, std::size_t& hits);

  dl::Sequential<float>& net_;
  dl::Optimizer<float>& opt_;
  World w_;
  std::vector<dl::ParamRef<float>> params_;
  dl::AnyTensor<float> batch_ = Tensor2<float>{};
  Labels yb_;
  dl::SoftmaxCrossEntropy<float> loss_;
  dl::SoftmaxCrossEntropy<float>::Cache cache_;
  Tensor2<float> G_;
  std::vector<float> buffer_, sum_;
};

//! [shard_gradient]
// Forward and backward through rows [lo, hi) of `order`: the parameter gradients accumulate
// the SUM of the per-example gradients, dL_i/dz_i = p_i - e_{y_i} (not the mean: the 1/B of
// the global batch is applied once, after the all-reduce). Returns the shard's summed loss.
inline double DataParallelTrainer::shard_gradient(const Data& train, const std::vector<std::size_t>& order,
                                                  std::size_t lo, std::size_t hi, dl::Rng& rng,
                                                  std::size_t& hits) {
  auto& xb = std::get<Tensor2<float>>(batch_);
  dl::gather_rows(train.X, order, lo, hi, xb);
  dl::gather_rows(train.y, order, lo, hi, yb_);
  const Tensor2<float> z = net_.forward2(batch_, dl::Context{dl::Mode::train, &rng, nullptr});
  const double mean_loss = loss_.forward(z, yb_, cache_);  // caches p = softmax(z)
  G_ = cache_.p;                                             // G = P - Y, row by row
  for (std::size_t i = 0; i < yb_.size(); ++i) G_(i, std::size_t(yb_(i))) -= 1.0f;
  net_.backward(G_);  // dW += X^T G, ... : sums over the shard's rows
  const Labels pred = dl::argmax_rows(z);
  for (std::size_t i = 0; i < pred.size(); ++i) hits += pred(i) == yb_(i);
  return mean_loss * double(hi - lo);
}
//! [shard_gradient]

//! [step]
// One synchronous step on the global batch order[begin, end): this rank's shard, the
// all-reduce, the update. `shards` > 1 (one process only): compute that many shards one
// after the other and sum their gradients in shard order, as the ranks' all-reduce would.
inline void DataParallelTrainer::step(const Data& train, const std::vector<std::size_t>& order,
                                      std::size_t begin, std::size_t end, dl::Rng& rng, int shards,
                                      double& loss_sum, std::size_t& hits) {
  const std::size_t B = end - begin, p = std::size_t(w_.size) * std::size_t(shards);
  for (int v = 0; v < shards; ++v) {
    const auto [lo, hi] = shard(B, std::size_t(w_.rank) * std::size_t(shards) + std::size_t(v), p);
    net_.zero_grad();
    if (hi > lo) loss_sum += shard_gradient(train, order, begin + lo, begin + hi, rng, hits);
    if (shards == 1) break;
    std::size_t k = 0;  // the reference: sum_ = g_0, then sum_ += g_v, in shard order
    sum_.resize(dl::count_params(params_));
    for (const auto& q : params_)
      for (std::size_t i = 0; i < q.size(); ++i, ++k) sum_[k] = v == 0 ? q.grad[i] : sum_[k] + q.grad[i];
  }
  if (shards > 1) {  // the grads := the shards' sum
    std::size_t k = 0;
    for (const auto& q : params_)
      for (std::size_t i = 0; i < q.size(); ++i, ++k) q.grad[i] = sum_[k];
  }
  average_gradients(params_, B, w_.comm, buffer_);  // g = (sum over ranks) / B: exercise 25.1
  opt_.step(params_);                               // the same update on every rank
}
//! [step]

inline RunResult DataParallelTrainer::run(const Data& train, dl::Rng& rng, const RunConfig& cfg,
                                          const Data* val) {
  using namespace dl;
  if (cfg.batch == 0) throw ValueError("data-parallel SGD: the global batch must be positive");
  if (cfg.virtual_shards > 1 && w_.size > 1)
    throw ValueError("data-parallel SGD: virtual shards are the one-process reference");
  const std::size_t n = train.size();
  if (n == 0) throw ValueError("data-parallel SGD: the training set is empty");
  const std::size_t num_batches = (n + cfg.batch - 1) / cfg.batch;
  const auto t0 = std::chrono::steady_clock::now();
  const bool root = w_.root();

  // ---- Checkpoints: the same FitState as dl::fit(); the ranks' count is not a setting, so
  // a run may resume on another number of ranks
  const CheckpointOptions& ck = cfg.checkpoint;
  const bool checkpointing = !ck.file.empty();
  const nlohmann::json settings = {{"examples", n}, {"batch_size", cfg.batch}, {"shuffle", true},
                                   {"validation", val ? val->size() : 0}};
  FitState s;
  double seconds_before = 0;
  // A checkpoint records the optimizer with its rate, which the schedule changes every step:
  // it is written and read with the rate of step 0 (the step's own rate is set before each step).
  const float lr0 = cfg.lr ? float(cfg.lr(0)) : opt_.lr;
  if (checkpointing && ck.resume) {
    opt_.lr = lr0;
    if (root)
      for (const auto& t : remove_stale_temporaries(ck.file))
        fmt::print("removed {}, half-written by a run that was killed\n", t.string());
    MPI_Barrier(w_.comm);  // every rank reads what rank 0 wrote (a shared file system)
    if (std::filesystem::exists(ck.file)) {
      s = load_checkpoint(ck.file, net_, opt_, settings);
      rng.restore(s.rng_state);
      seconds_before = s.history.seconds;
      if (root) fmt::print("resuming from {} at epoch {}, step {}\n", ck.file.string(), s.epoch, s.global_step);
    } else if (root) {
      fmt::print("no checkpoint {} yet: starting from the beginning\n", ck.file.string());
    }
  }
  auto save = [&] {
    if (!root) return;  // rank 0 alone writes: every rank holds the same state
    s.rng_state = rng.state();
    s.lr = double(opt_.lr);
    s.history.seconds = seconds_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const float lr = opt_.lr;
    opt_.lr = lr0;
    save_checkpoint(ck.file, net_, opt_, s, settings);
    opt_.lr = lr;
  };

  RunResult r;
  while (s.epoch <= cfg.epochs) {
    const int epoch = s.epoch;
    const auto te = std::chrono::steady_clock::now();
    std::vector<std::size_t> order;  // the same order on every rank: the same generator
    if (s.batch == 0) {
      s.order_rng_state = rng.state();
      order = epoch_order(n, rng, true);
    } else {  // resumed mid-epoch: the epoch's order again, then the generator as it was
      const std::string now = rng.state();
      rng.restore(s.order_rng_state);
      order = epoch_order(n, rng, true);
      rng.restore(now);
    }
    Progress bar(num_batches, fmt::format("{} epoch {}/{}", cfg.label, epoch, cfg.epochs), cfg.progress && root);
    for (std::size_t b = s.batch; b < num_batches; ++b) {
      const std::size_t begin = b * cfg.batch, end = std::min(n, begin + cfg.batch);
      if (cfg.lr) opt_.lr = float(cfg.lr(s.global_step));
      double stats[2] = {0, 0};  // this rank's summed loss and correct predictions
      std::size_t hits = 0;
      step(train, order, begin, end, rng, cfg.virtual_shards, stats[0], hits);
      stats[1] = double(hits);
      MPI_Allreduce(MPI_IN_PLACE, stats, 2, MPI_DOUBLE, MPI_SUM, w_.comm);  // for the log
      ++s.global_step;
      s.batch = b + 1;
      s.loss_sum += stats[0];
      s.hits += std::size_t(stats[1]);
      s.history.step_loss.push_back(stats[0] / double(end - begin));
      if (!std::isfinite(stats[0])) {  // the same sum on every rank: all stop together
        r.diverged = true;
        break;
      }
      bar.update(b + 1, fmt::format("loss {:.4f}", s.loss_sum / double(end)));
      const bool stop = cfg.stop_after > 0 && s.global_step == cfg.stop_after;
      if (checkpointing && (stop || (s.batch < num_batches && ck.every > 0 && s.global_step % ck.every == 0)))
        save();  // (the epoch's end has its own checkpoint)
      r.stopped = stop;
      r.reached_max_steps = cfg.max_steps > 0 && s.global_step >= cfg.max_steps;
      if (r.stopped || r.reached_max_steps) break;
    }
    if (r.diverged || r.stopped || r.reached_max_steps) break;
    EpochRecord rec;
    rec.epoch = epoch;
    rec.lr = double(opt_.lr);
    rec.train_loss = s.loss_sum / double(n);
    rec.train_accuracy = double(s.hits) / double(n);
    if (val && root && cfg.eval_every_epoch) {
      const Evaluation ev = evaluate(net_, loss_, val->X, val->y);
      rec.val_loss = ev.loss;
      rec.val_accuracy = ev.accuracy;
    }
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - te).count();
    bar.finish(fmt::format("loss {:.4f} acc {:.4f}", rec.train_loss, rec.train_accuracy) +
               (std::isnan(rec.val_accuracy) ? "" : fmt::format(" | val acc {:.4f}", rec.val_accuracy)));
    s.history.epochs.push_back(rec);
    s.epoch = epoch + 1;
    s.batch = 0;
    s.loss_sum = 0;
    s.hits = 0;
    if (checkpointing) save();
  }
  r.steps = s.global_step;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s.history.seconds = seconds_before + r.seconds;
  r.history = std::move(s.history);
  return r;
}

/// Every parameter of `net`, packed into one vector (for comparing runs and ranks).
inline std::vector<float> flat_params(dl::Sequential<float>& net) {
  std::vector<float> v;
  for (const auto& p : net.params()) v.insert(v.end(), p.value, p.value + p.size());
  return v;
}

/// Whether every rank holds bit for bit the same parameters: the element-wise maximum and
/// minimum over the ranks agree everywhere.
inline bool same_on_every_rank(const World& w, dl::Sequential<float>& net) {
  const std::vector<float> mine = flat_params(net);
  std::vector<float> hi(mine.size()), lo(mine.size());
  MPI_Allreduce(mine.data(), hi.data(), int(mine.size()), MPI_FLOAT, MPI_MAX, w.comm);
  MPI_Allreduce(mine.data(), lo.data(), int(mine.size()), MPI_FLOAT, MPI_MIN, w.comm);
  int same = hi == lo;
  MPI_Allreduce(MPI_IN_PLACE, &same, 1, MPI_INT, MPI_MIN, w.comm);
  return same != 0;
}

}  // namespace ch25
