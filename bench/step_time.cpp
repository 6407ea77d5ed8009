// The time of each module inside real training steps of a book CNN: fresh batches of
// Fashion-MNIST in a shuffled order, Adam updating the weights after every step, the threads
// as the chapters set them (the layers split each batch, BLAS on one thread). Each module's
// median over --steps steps, with the fastest beside it, then the step's other parts (the
// batch gather, zeroing the gradients, Adam) and the whole step's median. profile_layers
// keeps each module's fastest time over repeated steps on one batch; this shows what an
// epoch sees (Chapter 24, "Third round").
//   build/bin/step_time --model seed_cnn --batch 32 --steps 300
#include <algorithm>
#include <chrono>
#include <numeric>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <datasets/mnist.hpp>
#include <dlcore/dlcore.hpp>

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double fastest(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Per-module medians inside real training steps of the seed CNN or LeNet-5"};
  std::string model = "seed_cnn";
  std::size_t batch = 32;
  int threads = 2, steps = 300;
  std::string data = dl::kFashionMnistDir;
  app.add_option("--model", model, "seed_cnn or lenet5")->check(CLI::IsMember({"seed_cnn", "lenet5"}))->capture_default_str();
  app.add_option("--batch", batch, "Images per step")->check(CLI::Range(1, 4096))->capture_default_str();
  app.add_option("--threads", threads, "Threads of the layers' batch split (BLAS runs on one)")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--steps", steps, "Training steps timed (after one warm-up step)")->check(CLI::Range(2, 1000000))->capture_default_str();
  app.add_option("--data", data, "Fashion-MNIST directory")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    dl::set_num_threads(1);  // as the CNN chapters and make bench do
    dl::set_parallel_threads(threads);
    dl::Rng rng(1);
    const auto train = datasets::to_images<float>(datasets::load_idx_split(data, datasets::Split::train));
    dl::Sequential<float> net = model == "seed_cnn" ? dl::seed_cnn<float>(rng) : dl::lenet5<float>(rng);
    dl::Adam<float> opt(1e-3f);
    const auto params = net.params();
    const dl::SoftmaxCrossEntropy<float> loss;
    const dl::Context ctx{dl::Mode::train, &rng};
    const std::size_t L = net.size(), n = train.X.shape(0);
    std::vector<std::vector<double>> fwd(L), bwd(L);
    std::vector<double> whole, gather, zero, update;
    std::vector<std::size_t> order = rng.permutation(n);
    dl::Tensor4<float> xb;
    dl::Labels yb;
    for (int s = 0; s <= steps; ++s) {  // step 0 warms up (buffers, threads)
      const std::size_t begin = std::size_t(s) * batch % (n - n % batch);
      const auto t0 = Clock::now();
      dl::gather_rows(train.X, order, begin, begin + batch, xb);
      dl::gather_rows(train.y, order, begin, begin + batch, yb);
      const double tg = since(t0);
      auto t = Clock::now();
      net.zero_grad();
      const double tz = since(t);
      dl::AnyTensor<float> a = xb;
      std::vector<double> f(L), b(L);
      for (std::size_t i = 0; i < L; ++i) {
        t = Clock::now();
        a = net.module(i).forward(a, ctx);
        f[i] = since(t);
      }
      dl::SoftmaxCrossEntropy<float>::Cache lc;
      loss.forward(std::get<dl::Tensor2<float>>(a), yb, lc);
      dl::AnyTensor<float> g = loss.backward(lc);
      for (std::size_t i = L; i-- > 0;) {
        net.module(i).input_grad = i > 0;  // the first layer needs no dX, as in training
        t = Clock::now();
        g = net.module(i).backward(g);
        b[i] = since(t);
      }
      t = Clock::now();
      opt.step(params);
      const double tu = since(t), tw = since(t0);
      if (s == 0) continue;
      for (std::size_t i = 0; i < L; ++i) fwd[i].push_back(f[i]), bwd[i].push_back(b[i]);
      whole.push_back(tw), gather.push_back(tg), zero.push_back(tz), update.push_back(tu);
    }
    fmt::print("{} batch {}, {} threads, {} training steps: median (fastest) ms\n", model, batch,
               threads, steps);
    fmt::print("{:<40} {:>16} {:>16}\n", "module", "forward", "backward");
    double sf = 0, sb = 0;
    for (std::size_t i = 0; i < L; ++i) {
      fmt::print("{:<40} {:7.3f} ({:6.3f}) {:7.3f} ({:6.3f})\n", net.module(i).describe(),
                 1e3 * median(fwd[i]), 1e3 * fastest(fwd[i]), 1e3 * median(bwd[i]), 1e3 * fastest(bwd[i]));
      sf += median(fwd[i]), sb += median(bwd[i]);
    }
    fmt::print("{:<40} {:7.3f}          {:7.3f}\n", "sum of the modules' medians", 1e3 * sf, 1e3 * sb);
    fmt::print("gather {:.3f}, zero_grad {:.3f}, Adam {:.3f} ms (medians)\n", 1e3 * median(gather),
               1e3 * median(zero), 1e3 * median(update));
    fmt::print("step: median {:.3f} ms, mean {:.3f} ms, fastest {:.3f} ms\n", 1e3 * median(whole),
               1e3 * std::accumulate(whole.begin(), whole.end(), 0.0) / double(whole.size()),
               1e3 * fastest(whole));
  } catch (const std::exception& e) {
    fmt::print(stderr, "step_time: {}\n", e.what());
    return 1;
  }
}
