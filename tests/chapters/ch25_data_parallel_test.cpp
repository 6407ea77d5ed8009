// ch25_data_parallel: started without mpirun it runs on one rank and says so; under
// `mpirun -np 2 --oversubscribe` two ranks end with the parameters of one process (within
// 1e-5 relative of a plain batch; bit for bit against the same shards summed in rank order),
// the same on both ranks; a run stopped with a checkpoint and resumed under mpirun ends with
// the model of a run that never stopped; bad command lines and missing data fail clearly.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

namespace fs = std::filesystem;

namespace {

const char* const kChapter = "ch25_data_parallel";

// Run the chapter on 2 ranks through mpirun. The environment is set on the command line, so
// that the test runs the same from ctest and by hand:
//  - OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM): mpirun refuses to start as root without both (CI
//    and the fresh-Debian check run as root);
//  - btl_vader_single_copy_mechanism=none: the shared-memory transport copies through its
//    own buffers instead of reading the other process's memory (process_vm_readv), which
//    containers and chroots without ptrace rights refuse;
//  - --oversubscribe: two ranks even where fewer cores or slots are detected;
//  - timeout: a rank stuck in a collective ends the test instead of hanging it.
testing::ChapterRun run_mpi(const fs::path& out, const std::string& args) {
  return testing::run_chapter_in(kChapter, out, "--no-progress " + args,
                                 "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                                 "OMPI_MCA_btl_vader_single_copy_mechanism=none "
                                 "timeout 300 mpirun -np 2 --oversubscribe");
}

fs::path fresh_out(const std::string& tag) {
  const fs::path d = testing::chapter_out(kChapter, tag);
  fs::remove_all(d);
  return d;
}

}  // namespace

TEST_CASE("ch25 on 2 ranks under mpirun: the parameters of 1 process", "[ch25][mpi]") {
  const fs::path out = fresh_out("mpi");
  const auto r = run_mpi(out, "--quick");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto m = dl::read_json(out / "metrics.json");
  CHECK(m["ranks"] == 2);
  CHECK(m["equivalence_steps"] == 100);
  CHECK(m["ranks_identical"] == true);  // every rank holds the same bits after training
  // 2 ranks vs one process on the plain batch of 128: float rounding of the sums' order only
  // (measured: 1.2e-7 absolute, 2.9e-7 relative)
  CHECK(m["equivalence_max_rel_diff"].get<double>() <= 1e-5);
  CHECK(m["equivalence_max_abs_diff"].get<double>() <= 1e-5 * m["param_max_abs"].get<double>());
  CHECK(m["param_max_abs"].get<double>() > 0.05);  // the parameters are not all zero
  // against one process summing the same two shards in rank order: the same bits
  CHECK(m["equivalence_sharded_max_abs_diff"].get<double>() == 0.0);
  CHECK(m["test_accuracy"].get<double>() > 0.5);  // 4,000 images, one epoch: about 0.68
  CHECK(m["images_per_second_2ranks"].get<double>() > 0);
  CHECK(m["allreduce_bytes"] == 4 * 101770);
  CHECK_THAT(r.output, Catch::Contains("2 rank(s)"));
  for (const char* f : {"scaling_rule.svg", "scaling_rule.csv", "scaling_rule_table.csv", "throughput.svg",
                        "ring_model.svg", "ring_model_table.csv", "loss.svg", "accuracy.svg", "model.npz"}) {
    INFO(f);
    CHECK(fs::exists(out / f));
  }
}

TEST_CASE("ch25 stopped under mpirun and resumed ends with the same model", "[ch25][mpi][resume]") {
  const std::string args = "--quick --train-only --epochs 2 --seed 3 --checkpoint-every 5";
  const fs::path ref = fresh_out("uninterrupted");
  const auto a = run_mpi(ref, args);
  INFO(a.output);
  REQUIRE(a.status == 0);
  const fs::path out = fresh_out("stopped");
  const auto stopped = run_mpi(out, args + " --stop-after 7");  // 16 steps per epoch
  INFO(stopped.output);
  REQUIRE(stopped.status == 0);
  CHECK_THAT(stopped.output, Catch::Contains("stopped after step 7"));
  CHECK_FALSE(fs::exists(out / "metrics.json"));
  CHECK(fs::exists(out / "checkpoints" / "mlp.npz"));
  const auto resumed = run_mpi(out, args + " --resume");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK_THAT(resumed.output, Catch::Contains("resuming from") && Catch::Contains("step 7"));
  CHECK(dl::read_file(ref / "model.npz") == dl::read_file(out / "model.npz"));  // bit-identical
  const auto ma = dl::read_json(ref / "metrics.json"), mb = dl::read_json(out / "metrics.json");
  for (const char* key : {"test_accuracy", "epochs", "ranks_identical"}) {
    INFO(key);
    CHECK(ma[key] == mb[key]);
  }
}

TEST_CASE("ch25 started without mpirun runs on 1 rank and says so", "[ch25]") {
  const auto r = testing::run_chapter(kChapter, "--quick --no-progress");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("started without mpirun") && Catch::Contains("mpirun -np 2"));
  const auto m = dl::read_json(r.out / "metrics.json");
  CHECK(m["ranks"] == 1);
  CHECK_FALSE(m.contains("equivalence_max_abs_diff"));  // no second rank to compare
  // one process: a plain batch vs the same batch as two shards summed (summation order only)
  CHECK(m["order_max_abs_diff"].get<double>() <= 1e-5 * m["param_max_abs"].get<double>());
  CHECK(m["test_accuracy"].get<double>() > 0.5);
  CHECK(m["scaling_b64_same_lr"] == m["scaling_b64_linear_warmup"]);  // k = 1: the same run
  CHECK(m["scaling_b512_same_lr"].get<double>() > 0.3);
  CHECK(m["images_per_second_1rank_1thread"].get<double>() > 0);
  // the model, as a formula: ring all-reduce of the MLP at 512 workers on 10 GB/s,
  // 2 * 511/512 * 407,080 bytes / 1e10 B/s = 0.08126 ms
  CHECK(m["ring_model_mlp_p512_10GBps_ms"].get<double>() == Approx(2.0 * 511 / 512 * 407080 / 1e10 * 1e3));
  testing::require_outputs(kChapter, {"scaling_rule.svg", "throughput.svg", "ring_model.svg", "metrics.json"});
}

TEST_CASE("ch25 is reproducible: the same seed gives the same figures", "[ch25]") {
  const auto a = testing::quick_metrics(kChapter, "--seed 5 --train-only");
  const auto b = testing::quick_metrics(kChapter, "--seed 5 --train-only");
  testing::require_same_values(a, b, {"test_accuracy", "ranks_identical"});
}

TEST_CASE("ch25 fails clearly on bad flags and missing data", "[ch25][errors]") {
  testing::require_missing_data_error(kChapter);
  testing::require_rejects(kChapter, "--batch-size 0", "--batch-size");
  testing::require_rejects(kChapter, "--lr -1", "--lr");
  testing::require_help_lists(kChapter, {"--seed", "--quick", "--data", "--epochs", "--out", "--resume",
                                         "--batch-size", "--batch-sizes", "--stop-after"});
}
