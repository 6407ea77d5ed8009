// dlcore's side of `make bench`: time training epochs of the book's models.
//   bench_dlcore --workload mlp_epoch [--threads 2] [--epochs 3]
// Prints one line: "<workload> <median seconds per epoch>". The PyTorch side is
// bench/torch_bench.py; tools/bench.sh runs both with the same protocol: one warm-up epoch,
// then the median of --epochs timed epochs over all 60,000 Fashion-MNIST training images.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>

using namespace dl;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One epoch of the ch07 MLP: 784-512-10, ReLU, softmax cross-entropy, Adam, batch 128.
double mlp_epochs(int epochs) {
  auto train = datasets::to_flat<float>(datasets::load_idx_split(kFashionMnistDir, datasets::Split::train));
  Rng rng(1);
  Sequential<float> net;
  net.add(Linear<float>(784, 512, rng)).add(ReLU<float>{}).add(Linear<float>(512, 10, rng));
  Adam<float> opt(1e-3f);
  FitOptions fo;
  fo.epochs = 1;
  fo.batch_size = 128;
  fo.progress = false;
  std::vector<double> times;
  for (int e = 0; e <= epochs; ++e) {  // epoch 0 warms up
    Stopwatch sw;
    fit(net, SoftmaxCrossEntropy<float>{}, opt, train.X, train.y, rng, fo);
    if (e > 0) times.push_back(sw.seconds());
  }
  return median(times);
}

const std::map<std::string, std::function<double(int)>> kWorkloads = {
    {"mlp_epoch", mlp_epochs},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("dlcore training-epoch benchmarks (run through `make bench`)");
  std::string workload = "mlp_epoch";
  int threads = 2, epochs = 3;
  app.add_option("--workload", workload, "Which model's epoch to time")->capture_default_str();
  app.add_option("--threads", threads, "BLAS threads")->capture_default_str();
  app.add_option("--epochs", epochs, "Timed epochs (after one warm-up); the median is printed")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto it = kWorkloads.find(workload);
  if (it == kWorkloads.end()) {
    std::fprintf(stderr, "unknown workload %s\n", workload.c_str());
    return 2;
  }
  set_num_threads(threads);
  keep_freed_memory();  // as every chapter program does (dlcore/core/memory.hpp)
  const double s = it->second(epochs);
  std::printf("%s %.4f\n", workload.c_str(), s);
  std::fprintf(stderr, "dlcore: float32, OpenBLAS %s kernels, %d threads\n",
               blas_core_name().c_str(), num_threads());
  return 0;
}
