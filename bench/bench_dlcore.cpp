// dlcore's side of `make bench`: time training epochs of the book's models.
//   bench_dlcore --workload mlp_epoch [--threads 2] [--epochs 3]
// Prints one line: "<workload> <median seconds per epoch>". The PyTorch side is
// bench/torch_bench.py; tools/bench.sh runs both with the same protocol: one warm-up epoch,
// then the median of --epochs timed epochs over the 60,000 Fashion-MNIST training images
// (the seed CNN's workloads: over the first 12,800, scaled to 60,000). lstm_epoch and
// gru_epoch read each image as 28 rows of 28 pixels (Chapter 18). charlm_gru_epoch is
// Chapter 19's character GRU over the 80,000 training words (not scaled); transformer_block_epoch
// times Chapter 20's Transformer reader over the same words (datasets/words.hpp), not scaled.
// treelstm_epoch and treelstm_infer: Chapter 22's binary Tree-LSTM over 8,000 generated trees
// (treelstm_bench.hpp), a training epoch and an inference pass.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include <dlcore/dlcore.hpp>
#include <datasets/mnist.hpp>
#include <datasets/words.hpp>

#include "treelstm_bench.hpp"

using namespace dl;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median seconds per epoch of `net` over `train` (one warm-up epoch first), scaled to
// 60,000 images when timed on fewer: the CNN workloads time a 12,800-image subset so that a
// full comparison stays within minutes on two cores. `scale_to` 0: not scaled. Sequences of
// different lengths bring them in train.lengths.
template <class XT>
double time_epochs(Sequential<float>& net, const Dataset<XT>& train, std::size_t batch_size,
                   int epochs, std::size_t scale_to = 60000) {
  Rng rng(1);
  Adam<float> opt(1e-3f);
  FitOptions fo;
  fo.epochs = 1;
  fo.batch_size = batch_size;
  fo.progress = false;
  if (!train.lengths.empty()) fo.lengths = &train.lengths;
  const double scale = scale_to ? double(scale_to) / double(train.size()) : 1.0;
  std::vector<double> times;
  for (int e = 0; e <= epochs; ++e) {  // epoch 0 warms up
    Stopwatch sw;
    fit(net, SoftmaxCrossEntropy<float>{}, opt, train.X, train.y, rng, fo);
    if (e > 0) times.push_back(sw.seconds() * scale);
  }
  return median(times);
}

// One epoch of the ch07 MLP: 784-512-10, ReLU, softmax cross-entropy, Adam, batch 128.
double mlp_epochs(int epochs) {
  auto train = datasets::to_flat<float>(datasets::load_idx_split(kFashionMnistDir, datasets::Split::train));
  Rng rng(1);
  Sequential<float> net;
  net.add(Linear<float>(784, 512, rng)).add(ReLU<float>{}).add(Linear<float>(512, 10, rng));
  return time_epochs(net, train, 128, epochs);
}

// The ch13 CNNs on (N, 1, 28, 28) images: LeNet-5 over all 60,000, the seed's deeper CNN over
// the first 12,800 (scaled to 60,000).
std::function<double(int)> cnn_epochs(bool deep, std::size_t batch_size) {
  return [=](int epochs) {
    auto train = datasets::to_images<float>(datasets::load_idx_split(kFashionMnistDir, datasets::Split::train));
    if (deep) train = head(train, 12800);
    Rng rng(1);
    Sequential<float> net = deep ? seed_cnn<float>(rng) : lenet5<float>(rng);
    set_parallel_threads(num_threads());  // as ch13 does: the convolutions split each batch
    set_num_threads(1);                   // over the threads, the small dense GEMMs run on one
    return time_epochs(net, train, batch_size, epochs);
  };
}

// Chapter 18's row readers: an LSTM or GRU (28 -> 128) over the 28 rows of each image, the
// last hidden state into Linear(128 -> 10); batch 128, all 60,000 images. The batch's rows are
// split between the threads, each running its own time loop with single-threaded GEMMs.
std::function<double(int)> row_reader_epochs(CellKind cell) {
  return [=](int epochs) {
    auto train = datasets::to_rows<float>(datasets::load_idx_split(kFashionMnistDir, datasets::Split::train));
    Rng rng(1);
    Sequential<float> net = sequence_to_one<float>(cell, 28, 128, 10, rng);
    set_parallel_threads(num_threads());  // as ch18 does: the layer splits its work over the
    set_num_threads(1);                   // threads, every GEMM single-threaded inside
    return time_epochs(net, train, 128, epochs);
  };
}

// Chapter 19's language reader: Embedding(V, 32), GRU(32 -> 128) over each word's own letters
// (lengths from the batch), LastStep, Linear(128 -> 5); Adam 2e-3, batch 128, the 80,000
// training words of the word-language dataset; seconds per epoch of those words.
double charlm_gru_epochs(int epochs) {
  const auto words = datasets::load_word_languages("/usr/share/dict", 0, 20000);
  const auto train = datasets::encode_words<float>(words.train, words.vocab);
  Rng rng(1);
  Sequential<float> net = text_rnn_classifier<float>(CellKind::gru, words.vocab.size(), 32, 128, 5, rng);
  set_parallel_threads(num_threads());  // as ch19 does: the layer splits its work over the
  set_num_threads(1);                   // threads, every GEMM single-threaded inside
  Adam<float> opt(2e-3f);
  FitOptions fo;
  fo.epochs = 1;
  fo.batch_size = 128;
  fo.progress = false;
  fo.lengths = &train.lengths;
  std::vector<double> times;
  for (int e = 0; e <= epochs; ++e) {  // epoch 0 warms up
    Stopwatch sw;
    fit(net, SoftmaxCrossEntropy<float>{}, opt, train.X, train.y, rng, fo);
    if (e > 0) times.push_back(sw.seconds());
  }
  return median(times);
}

// Chapter 20's Transformer reader: Embedding (V -> 64), sinusoidal positions, one encoder block
// (4 heads, feed-forward 256), the mean over each word's letters, Linear (64 -> 5); batch 128,
// the 80,000 training words padded to 20 letters. The layers split each batch over the threads.
double transformer_block_epochs(int epochs) {
  const auto words = datasets::load_word_languages();
  const auto train = datasets::encode_words<float>(words.train, words.vocab);
  Rng rng(1);
  Sequential<float> net = transformer_classifier<float>({words.vocab.size(), 64, 4, 256, 5}, rng);
  set_parallel_threads(num_threads());  // as ch20 does
  set_num_threads(1);
  return time_epochs(net, train, 128, epochs, 0);
}

const std::map<std::string, std::function<double(int)>> kWorkloads = {
    {"mlp_epoch", mlp_epochs},
    {"lenet5_epoch", cnn_epochs(false, 128)},
    {"seed_cnn_epoch_b32", cnn_epochs(true, 32)},
    {"seed_cnn_epoch_b128", cnn_epochs(true, 128)},
    {"lstm_epoch", row_reader_epochs(CellKind::lstm)},
    {"gru_epoch", row_reader_epochs(CellKind::gru)},
    {"charlm_gru_epoch", charlm_gru_epochs},
    {"transformer_block_epoch", transformer_block_epochs},
    {"treelstm_epoch", [](int e) { return treelstm_bench::epochs(e, true); }},
    {"treelstm_infer", [](int e) { return treelstm_bench::epochs(e, false); }},
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
  std::fprintf(stderr, "dlcore: float32, OpenBLAS %s kernels, %d BLAS threads, %d worker threads\n",
               blas_core_name().c_str(), num_threads(), parallel_threads());
  return 0;
}
