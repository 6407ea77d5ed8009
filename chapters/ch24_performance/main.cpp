// Chapter 24: why training is slow, measured. The machine's peak (FMA throughput) and memory
// bandwidth (a STREAM-like triad); the matrix product from a naive triple loop to OpenBLAS
// in GFLOP/s; direct convolution against im2col + GEMM; the seed CNN's layers, an LSTM step
// and an activation on the roofline; 1 vs 2 threads; where one training step's time goes.
// Text: docs/ch24_performance.md
#include <dlcore/dlcore.hpp>

#include "exercise.hpp"
#include "perf.hpp"
#include "report.hpp"

using namespace dl;
using namespace ch24;

namespace {

// Largest |a - b| relative to the largest |b| (1 if b is all zeros).
double rel_diff(const float* a, const float* b, std::size_t n) {
  double d = 0, m = 0;
  for (std::size_t i = 0; i < n; ++i)
    d = std::max(d, double(std::abs(a[i] - b[i]))), m = std::max(m, double(std::abs(b[i])));
  return d / std::max(m, 1.0);
}

Tensor4<float> random4(Rng& rng, std::vector<std::size_t> shape) {
  Tensor4<float> t = Tensor4<float>::from_shape(shape);
  for (auto& v : t) v = float(rng.uniform(-1, 1));
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  ChapterCli cli("ch24_performance",
                 "Chapter 24: why training is slow, measured (peak, bandwidth, matrix products, "
                 "roofline, convolution, threads, per-layer profile)");
  std::vector<std::size_t> sizes = {64, 128, 192, 256, 384, 512, 768, 1024};
  std::size_t naive_max = 512, batch = 128;
  double seconds = 0.25;
  int steps = 5;
  cli.app().add_option("--sizes", sizes, "Matrix sizes n of the GFLOP/s-vs-size curves")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--naive-max", naive_max, "Largest n for the naive and i-k-j loops")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--seconds", seconds, "Seconds spent on each timing (best run kept)")
      ->check(CLI::Range(0.001, 60.0))->capture_default_str();
  cli.app().add_option("--batch", batch, "Batch size of the profiled seed-CNN training step")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cli.app().add_option("--steps", steps, "Training steps timed in the profile (fastest kept)")
      ->check(CLI::PositiveNumber)->capture_default_str();

  return cli.run(argc, argv, [&](const ChapterOptions& opt) {
    Stopwatch clock;
    Rng rng(opt.seed);
    const int cores = std::max(1, opt.threads);
    if (opt.quick) sizes = {32, 67, 128}, naive_max = 128, seconds = 0.02, batch = 16, steps = 1;
    nlohmann::json m;
    fmt::print("OpenBLAS kernel {}, xsimd width {} floats, {} threads\n", blas_core_name(),
               simd_width(), cores);

    // ---- The machine's limits: peak FLOP/s and memory bandwidth, measured
    const Peak peak1 = measure_peak(1, 3 * seconds), peakN = measure_peak(cores, 3 * seconds);
    const double latency = fma_latency_seconds(seconds);
    const std::size_t triad_n = opt.quick ? (1u << 21) : (1u << 24);
    const double bw1 = measure_triad(triad_n, 1, 2 * seconds), bwN = measure_triad(triad_n, cores, 2 * seconds);
    fmt::print("peak: {:.1f} GFLOP/s on 1 core, {:.1f} on {}; implied clock {:.2f} GHz "
               "({} FLOP/cycle); FMA latency {:.2f} ns = {:.2f} GHz at {} cycles\n",
               peak1.gflops, peakN.gflops, cores, peak1.clock_ghz, peak1.flops_per_cycle,
               latency * 1e9, kFmaLatencyCycles / latency / 1e9, kFmaLatencyCycles);
    fmt::print("triad: {:.1f} GB/s on 1 core, {:.1f} on {}\n", bw1, bwN, cores);
    m["peak_gflops_1core"] = peak1.gflops;
    m["peak_gflops"] = peakN.gflops;
    m["peak_flops_per_cycle"] = peak1.flops_per_cycle;
    m["clock_ghz_from_throughput"] = peak1.clock_ghz;
    m["clock_ghz_from_latency"] = kFmaLatencyCycles / latency / 1e9;
    m["triad_gbs_1core"] = bw1;
    m["triad_gbs"] = bwN;
    m["simd_width"] = simd_width();
    m["threads"] = cores;

    // ---- The matrix product, rung by rung: each kernel checked against OpenBLAS, then timed
    std::vector<Curve> curves;
    {
      const std::size_t M = 67, N = 45, K = 131;  // odd sizes: edges of every tile and register
      std::vector<float> A(M * K), B(K * N), C(M * N), R(M * N);
      for (auto& v : A) v = float(rng.uniform(-1, 1));
      for (auto& v : B) v = float(rng.uniform(-1, 1));
      matmul_openblas(A.data(), B.data(), R.data(), M, N, K);
      for (Kernel k : kAllKernels) {
        matmul(k, A.data(), B.data(), C.data(), M, N, K);
        m["matmul_rel_diff_" + kernel_key(k)] = rel_diff(C.data(), R.data(), M * N);
      }
      tiled_matmul(A.data(), B.data(), C.data(), M, N, K, 16);  // Exercise 24.1
      m["exercise_tiled_matches"] = rel_diff(C.data(), R.data(), M * N) < 1e-5;
    }
    for (Kernel k : kAllKernels) {
      Curve c{k, {}, {}};
      for (std::size_t n : sizes) {
        if ((k == Kernel::naive || k == Kernel::ikj) && n > naive_max) continue;
        c.n.push_back(double(n));
        c.gflops.push_back(time_matmul(k, n, seconds));
        fmt::print("{:<18} n = {:>5}: {:>7.1f} GFLOP/s ({:.0f}% of 1-core peak)\n", kernel_name(k),
                   n, c.gflops.back(), 100 * c.gflops.back() / peak1.gflops);
      }
      if (c.n.empty()) continue;  // every size above --naive-max
      m["matmul_best_gflops_" + kernel_key(k)] = *std::max_element(c.gflops.begin(), c.gflops.end());
      curves.push_back(std::move(c));
    }
    plot_ladder(opt.out / "matmul_gflops.svg", curves, peak1.gflops, peakN.gflops, cores);
    double best_hand = 0;
    std::string best_kernel;
    for (Kernel k : {Kernel::naive, Kernel::ikj, Kernel::blocked, Kernel::simd}) {
      const double g = m.value("matmul_best_gflops_" + kernel_key(k), 0.0);
      if (g > best_hand) best_hand = g, best_kernel = kernel_key(k);
    }
    const double blas1 = m["matmul_best_gflops_openblas"].get<double>();
    m["best_hand_kernel"] = best_kernel;
    m["best_hand_gflops"] = best_hand;
    m["best_hand_fraction_of_peak"] = best_hand / peak1.gflops;
    m["openblas_gflops"] = blas1;
    m["openblas_fraction_of_peak"] = blas1 / peak1.gflops;

    // ---- 1 vs 2 threads: the same work on more cores, both on the wall clock
    const std::size_t nbig = sizes.back();
    const double simd1 = time_matmul(Kernel::simd, nbig, seconds, 1, true);
    const double simdN = time_matmul(Kernel::simd, nbig, seconds, cores, true);
    const double blas1big = time_matmul(Kernel::openblas, nbig, seconds, 1, true);
    const double blasN = time_matmul(Kernel::openblas, nbig, seconds, cores, true);
    const double bw1wall = measure_triad(triad_n, 1, 2 * seconds, true);
    m["simd_gflops_threads"] = simdN;
    m["openblas_gflops_threads"] = blasN;
    m["best_hand_fraction_of_peak_threads"] = simdN / peakN.gflops;
    m["openblas_fraction_of_peak_threads"] = blasN / peakN.gflops;

    // ---- Direct convolution vs im2col + GEMM, on the seed CNN's second layer (32 -> 32, 3x3),
    // both on one core
    {
      set_parallel_threads(1);
      set_num_threads(1);
      const std::size_t n = opt.quick ? 4 : 32;
      const Tensor4<float> x = random4(rng, {n, 32, 28, 28}), W = random4(rng, {32, 32, 3, 3});
      Tensor1<float> b = Tensor1<float>::from_shape({32});
      for (auto& v : b) v = float(rng.uniform(-1, 1));
      const double flops = conv_work(n, 32, 28, 28, 32, 3, 1, 0).flops;
      Timer sw(true);
      const Tensor4<float> yd = conv_direct(x, W, b, 1, 0);
      const double td = sw.seconds();
      conv_im2col(x, W, b, 1, 0);  // warm-up
      double ti = 1e300;
      for (int r = 0; r < 3; ++r) {
        const Timer si(true);
        conv_im2col(x, W, b, 1, 0);
        ti = std::min(ti, si.seconds());
      }
      const Tensor4<float> yi = conv_im2col(x, W, b, 1, 0);
      m["conv_rel_diff"] = rel_diff(yd.data(), yi.data(), yd.size());
      m["conv_direct_gflops"] = flops / td / 1e9;
      m["conv_im2col_gflops"] = flops / ti / 1e9;
      fmt::print("conv 32->32 3x3 on ({}, 32, 28, 28): direct {:.1f} GFLOP/s, im2col + GEMM {:.1f} "
                 "GFLOP/s; relative difference {:.1e}\n", n, flops / td / 1e9, flops / ti / 1e9,
                 m["conv_rel_diff"].get<double>());
    }

    // ---- Where the time of one training step of the seed CNN goes
    Sequential<float> net = seed_cnn<float>(rng);
    const Tensor4<float> X = random4(rng, {batch, 1, 28, 28});
    Labels y = Labels::from_shape({batch});
    for (auto& v : y) v = std::int32_t(rng.below(10));
    // one core, timed in CPU time: the bar chart and the roofline's points
    set_parallel_threads(1);
    set_num_threads(1);
    const std::vector<LayerProfile> prof = profile_step(net, X, y, rng, steps);
    fmt::print("\nseed CNN, one training step on a batch of {}, one core:\n{}", batch, profile_table(prof));
    plot_profile(opt.out / "profile.svg", prof,
                 fmt::format("Seed CNN: one training step, batch {}, one core", batch));
    // 1 vs 2 threads on the wall clock; as ch13, the convolutions split the batch between the
    // threads and BLAS stays single-threaded
    std::vector<double> step_seconds;
    for (int t : {1, cores}) {
      set_parallel_threads(t);
      const std::vector<LayerProfile> pt = profile_step(net, X, y, rng, steps, true);
      double s = 0;
      for (const auto& p : pt) s += p.forward_seconds + p.backward_seconds;
      step_seconds.push_back(s);
      if (t == cores) plot_profile(opt.out / "profile_threads.svg", pt,
                                   fmt::format("Seed CNN: one training step, batch {}, {} threads (wall clock)", batch, t));
    }
    set_parallel_threads(1);
    double step_cpu = 0;
    for (const auto& p : prof) step_cpu += p.forward_seconds + p.backward_seconds;
    m["step_seconds_1core"] = step_cpu;
    m["step_seconds_1thread"] = step_seconds.front();
    m["step_seconds_threads"] = step_seconds.back();
    m["profile_batch"] = batch;

    // ---- The roofline: the seed CNN's conv and dense layers, an LSTM step, a ReLU
    std::vector<RooflinePoint> points;
    int conv_i = 0, dense_i = 0;
    for (const LayerProfile& p : prof) {
      if (p.forward.flops == 0) continue;
      const bool conv = p.layer.rfind("Conv2D", 0) == 0, dense = p.layer.rfind("Linear", 0) == 0;
      if (conv || dense)
        points.push_back({conv ? fmt::format("conv{} {}", ++conv_i, p.layer.substr(6))
                               : fmt::format("dense{} {}", ++dense_i, p.layer.substr(6)),
                          p.forward, p.forward_gflops()});
      else if (points.size() == 1)  // the ReLU after the first convolution
        points.push_back({"ReLU on (" + std::to_string(batch) + ", 32, 28, 28)", p.forward,
                          p.forward_gflops()});
    }
    const std::size_t lstm_n = opt.quick ? 16 : 128;
    const double lstm_s = time_lstm_step(lstm_n, 28, 128, 28, rng, opt.quick ? 1 : 5);
    const Work lstm = lstm_step_work(lstm_n, 28, 128);
    points.push_back({fmt::format("LSTM step (N {}, D 28, H 128)", lstm_n), lstm, lstm.flops / lstm_s / 1e9});
    plot_roofline(opt.out / "roofline.svg", points, peak1.gflops, bw1, peakN.gflops, bwN, cores);
    std::string roof_csv = "name,flops,bytes,intensity,achieved_gflops,roof_gflops\n";
    for (const auto& p : points)
      roof_csv += fmt::format("\"{}\",{},{},{:.4f},{:.3f},{:.3f}\n", p.name, p.work.flops, p.work.bytes,
                              p.work.intensity(), p.gflops, roof(p.work.intensity(), peak1.gflops, bw1));
    write_file_atomic(opt.out / "roofline_points.csv", roof_csv);

    // ---- 1 vs 2 threads, side by side
    std::string th = "what,unit,threads_1,threads_n\n";
    th += fmt::format("FMA peak,GFLOP/s,{:.2f},{:.2f}\n", peak1.gflops, peakN.gflops);
    th += fmt::format("triad,GB/s,{:.2f},{:.2f}\n", bw1wall, bwN);
    th += fmt::format("packed + xsimd n={},GFLOP/s,{:.2f},{:.2f}\n", nbig, simd1, simdN);
    th += fmt::format("OpenBLAS sgemm n={},GFLOP/s,{:.2f},{:.2f}\n", nbig, blas1big, blasN);
    th += fmt::format("seed CNN training step,ms,{:.2f},{:.2f}\n", 1e3 * step_seconds.front(),
                      1e3 * step_seconds.back());
    write_file_atomic(opt.out / "threads.csv", th);
    fmt::print("\n1 vs {} threads:\n{}", cores, th);

    m["seconds"] = clock.seconds();
    write_json(opt.out / "metrics.json", m);
    fmt::print("best hand-written kernel ({}): {:.1f} GFLOP/s = {:.0f}% of the 1-core peak; "
               "OpenBLAS {:.1f} GFLOP/s = {:.0f}%\nwrote {}\n", best_kernel, best_hand,
               100 * best_hand / peak1.gflops, blas1, 100 * blas1 / peak1.gflops,
               (opt.out / "metrics.json").string());
  });
}
