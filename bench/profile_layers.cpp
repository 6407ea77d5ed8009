// Per-layer profile of one training step of a book CNN (seed CNN or LeNet-5), on the wall
// clock with the threads the chapters use: each module's forward and backward time (fastest
// of --steps steps), its FLOPs and GFLOP/s, and the fraction of the machine's measured FMA
// peak. What issue 15's convolution work was measured with; ch24's page quotes its tables.
//   build/bin/profile_layers --model seed_cnn --batch 32 --threads 2
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <dlcore/dlcore.hpp>

#include "perf.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Per-layer profile of one training step of the seed CNN or LeNet-5"};
  std::string model = "seed_cnn";
  std::size_t batch = 32;
  int threads = 2, steps = 20;
  app.add_option("--model", model, "seed_cnn or lenet5")->check(CLI::IsMember({"seed_cnn", "lenet5"}))->capture_default_str();
  app.add_option("--batch", batch, "Images per step")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--threads", threads, "Threads (BLAS and the layers' batch split)")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--steps", steps, "Steps timed; the fastest time of each module is kept")->check(CLI::PositiveNumber)->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  dl::set_num_threads(threads);
  dl::set_parallel_threads(std::size_t(threads));
  dl::Rng rng(42);
  dl::Sequential<float> net = model == "seed_cnn" ? dl::seed_cnn<float>(rng) : dl::lenet5<float>(rng);
  dl::Tensor4<float> X = dl::Tensor4<float>::from_shape({batch, 1, 28, 28});
  for (auto& v : X) v = float(rng.uniform(0, 1));
  dl::Labels y = dl::Labels::from_shape({batch});
  for (std::size_t i = 0; i < batch; ++i) y(i) = std::int32_t(i % 10);
  const ch24::Peak peak = ch24::measure_peak(threads, 0.5);
  const auto prof = ch24::profile_step(net, X, y, rng, steps, /*wall=*/true);
  fmt::print("{} batch {}, {} threads, peak {:.1f} GFLOP/s ({} threads, measured)\n", model,
             batch, threads, peak.gflops, threads);
  fmt::print("{:<36} {:>8} {:>8} {:>8} {:>8} {:>6} {:>6}\n", "module", "fwd ms", "bwd ms",
             "fwd GF/s", "bwd GF/s", "fwd %", "bwd %");
  double tf = 0, tb = 0;
  for (const auto& p : prof) {
    tf += p.forward_seconds, tb += p.backward_seconds;
    fmt::print("{:<36} {:8.3f} {:8.3f} {:8.1f} {:8.1f} {:6.1f} {:6.1f}\n", p.layer,
               1e3 * p.forward_seconds, 1e3 * p.backward_seconds, p.forward_gflops(),
               p.backward_gflops(), 100 * p.forward_gflops() / peak.gflops,
               100 * p.backward_gflops() / peak.gflops);
  }
  fmt::print("{:<36} {:8.3f} {:8.3f}   step {:.3f} ms\n", "total", 1e3 * tf, 1e3 * tb, 1e3 * (tf + tb));
}
