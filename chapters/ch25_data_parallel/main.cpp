// Chapter 25: synchronous data-parallel SGD over MPI. Started as
//   mpirun -np 2 build/bin/ch25_data_parallel
// every rank trains the same MLP on its shard of every global batch of Fashion-MNIST and the
// ranks average their gradients with one all-reduce. The program shows: a data-parallel
// training run (checkpoints, --resume); that 2 ranks give the parameters of 1 process; the
// linear learning-rate scaling rule with warm-up across global batch sizes; throughput vs
// ranks; and a cost model of the ring all-reduce. Started without mpirun it runs on 1 rank.
// Text: docs/ch25_data_parallel.md
#include <cstdlib>

#include <datasets/mnist.hpp>

#include "cost_model.hpp"
#include "data_parallel.hpp"
#include "experiments.hpp"
#include "openmpi_lsan.hpp"

using namespace dl;
using namespace ch25;

int main(int argc, char** argv) {
  keep_openmpi_plugins_loaded();  // for the sanitizer build's leak check (openmpi_lsan.hpp)
  MPI_Init(&argc, &argv);
  const World world = World::of(MPI_COMM_WORLD);

  ChapterCli cli("ch25_data_parallel", "Chapter 25: data-parallel SGD over MPI (mpirun -np 2 ...)");
  cli.epochs(5, 1).data().checkpoints();
  Settings set;
  cli.app().add_option("--batch-size", set.batch, "Global batch of the training run")->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--lr", set.base_lr, "SGD rate (momentum 0.9) at the base batch")->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--base-batch", set.base_batch, "The batch --lr is tuned for")->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--warmup-epochs", set.warmup_epochs, "Epochs of linear warm-up")->check(CLI::NonNegativeNumber)->capture_default_str();
  cli.app().add_option("--hidden", set.hidden, "Width of the MLP's hidden layer")->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--batch-sizes", set.sweep, "Global batches of the scaling-rule runs")->check(CLI::PositiveNumber);
  cli.app().add_option("--stop-after", set.stop_after, "Checkpoint and stop the training run after this step (a job's time limit)")->check(CLI::NonNegativeNumber);
  cli.app().add_flag("--train-only", set.train_only, "Only the training run (no comparison, sweep or timings)");

  const int status = cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    const bool root = world.root();
    if (world.size > 1) set_num_threads(1);  // one core per rank
    if (root && world.size == 1 && !std::getenv("OMPI_COMM_WORLD_SIZE"))
      fmt::print("1 rank: started without mpirun. The 2-rank comparison needs\n"
                 "  mpirun -np 2 {} [flags]\n", argv[0]);
    if (root) fmt::print("{} rank(s), {} BLAS thread(s) each\n", world.size, num_threads());

    // ---- The data: every rank holds all of it and reads its shard of each batch
    auto train = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::train));
    auto test = datasets::to_flat<float>(datasets::load_idx_split(opt.data, datasets::Split::test));
    if (opt.quick) {
      train = head(train, 4000);
      test = head(test, 1000);
      if (set.sweep.empty()) set.sweep = {64, 512};
    }
    if (set.sweep.empty()) set.sweep = {64, 256, 1024, 4096, 8192, 16384};
    nlohmann::json m;
    m["ranks"] = world.size;
    Experiments ex(world, opt, set, train, test, m);

    // ---- Data-parallel training: the linear rule with warm-up at --batch-size
    //! [training_run]
    Sequential<float> net = ex.mlp();
    SGD<float> sgd(float(set.base_lr), 0.9f);
    RunConfig cfg = ex.config(set.batch, Rule::linear_warmup, opt.epochs);
    cfg.progress = opt.progress;
    cfg.checkpoint = {opt.checkpoint_file("mlp"), opt.checkpoint_every, opt.resume};
    cfg.stop_after = set.stop_after;
    Rng rng(opt.seed);
    const RunResult run = DataParallelTrainer(net, sgd, world).run(train, rng, cfg, &test);
    //! [training_run]
    if (run.stopped) {
      if (root) fmt::print("stopped after step {} (--stop-after); checkpoint saved in {}; continue with --resume\n",
                           run.steps, opt.checkpoint_file("mlp").string());
      return;
    }
    ex.report_training(net, run);
    if (set.train_only) return ex.finish(clock.seconds());

    // ---- Two ranks vs one process: the parameters after 100 steps
    ex.equivalence(100, 128);
    // ---- The linear scaling rule with warm-up, across global batch sizes
    ex.scaling_rule();
    // ---- Throughput vs ranks, measured on this machine
    ex.throughput(512, opt.quick ? 10 : 60);
    // ---- The ring all-reduce, a model (not a measurement) for larger clusters
    ex.cost_model(net.num_params());
    ex.finish(clock.seconds());
  });
  // A rank that failed alone would leave the others waiting in an all-reduce: end the job.
  if (status != 0 && world.size > 1) MPI_Abort(MPI_COMM_WORLD, status);
  MPI_Finalize();
  return status;
}
