#pragma once
// Chapter 14's named networks at full size (VGG-16, ResNet-50, torchvision's AlexNet, for
// 224x224 RGB images): their parameters and multiply-adds, one training step timed on this
// machine, and what a training run on ImageNet would take here at that speed.
#include <functional>
#include <string>
#include <vector>

#include <dlcore/dlcore.hpp>
#include <dlcore/models/cost.hpp>
#include <dlcore/models/imagenet.hpp>

namespace ch14 {

/// One named network and what it costs.
struct Named {
  std::string key;    ///< "vgg16", "resnet50", "alexnet"
  int epochs = 0;     ///< epochs of the published ImageNet training run
  std::size_t params = 0, madds = 0;           ///< per image (madds: one forward pass)
  std::size_t dense_params = 0, conv_madds = 0;  ///< the parts in dense layers / convolutions
  double forward_seconds = 0, backward_seconds = 0;  ///< one step on a batch (0: not timed)
  std::size_t batch = 0;                         ///< images in the timed batch
};

/// ImageNet-1k's training set (ILSVRC 2012), images.
constexpr double kImageNetTrain = 1281167;

//! [named_cost]
/// Count a network's cost for one 224x224x3 image and, when `batch` > 0, time one forward
/// and one backward pass (softmax cross-entropy, training mode) on `batch` random images:
/// the second of two steps, so that the first pays for touching fresh memory.
inline Named measure(const std::string& key, int epochs, dl::Sequential<float> net, std::size_t batch,
                     dl::Rng& rng) {
  Named r;
  r.key = key, r.epochs = epochs, r.batch = batch;
  const dl::NetCost cost = dl::count_cost(net, {3, 224, 224});
  r.params = cost.params, r.madds = cost.madds;
  for (const auto& l : cost.layers) {
    if (l.out_shape.size() == 1) r.dense_params += l.params;  // after Flatten: the dense layers
    else r.conv_madds += l.madds;                             // before: convolutions and blocks
  }
  if (batch == 0) return r;
  dl::Tensor4<float> x = dl::Tensor4<float>::from_shape({batch, 3, 224, 224});
  for (auto& v : x) v = float(rng.normal());
  dl::Labels y = dl::Labels::from_shape({batch});
  for (std::size_t i = 0; i < batch; ++i) y[i] = int(rng.below(1000));
  const dl::SoftmaxCrossEntropy<float> loss;
  for (int pass = 0; pass < 2; ++pass) {
    dl::Stopwatch t;
    const dl::Tensor2<float> logits = net.forward2(x, dl::Context{dl::Mode::train, &rng});
    r.forward_seconds = t.seconds();
    typename dl::SoftmaxCrossEntropy<float>::Cache c;
    loss.forward(logits, y, c);
    t.reset();
    net.zero_grad();
    net.backward(loss.backward(c));
    r.backward_seconds = t.seconds();
  }
  return r;
}
//! [named_cost]

/// Seconds of one training step per image.
inline double seconds_per_image(const Named& r) { return (r.forward_seconds + r.backward_seconds) / double(r.batch); }

/// named_networks.csv and the metrics `imagenet_<key>_...`; one line per network on stdout.
inline void report_named(const std::filesystem::path& csv, const std::vector<Named>& nets, nlohmann::json& m) {
  std::string table = "network,parameters,dense_parameters,madds,conv_madds,forward_s,backward_s,batch,"
                      "s_per_image,imagenet_epoch_hours,epochs,training_days\n";
  for (const Named& r : nets) {
    const std::string k = "imagenet_" + r.key + "_";
    m[k + "params"] = r.params;
    m[k + "madds"] = r.madds;
    fmt::print("   {:<9} {:>11} parameters ({:.0f}% in dense layers), {:>6.2f} G multiply-adds per image "
               "({:.1f}% in convolutions)\n", r.key, r.params, 100.0 * double(r.dense_params) / double(r.params),
               double(r.madds) / 1e9, 100.0 * double(r.conv_madds) / double(r.madds));
    double per_image = 0, epoch_hours = 0, days = 0;
    if (r.batch > 0) {
      per_image = seconds_per_image(r);
      epoch_hours = per_image * kImageNetTrain / 3600;
      days = epoch_hours * r.epochs / 24;
      m[k + "forward_seconds"] = r.forward_seconds;
      m[k + "backward_seconds"] = r.backward_seconds;
      m[k + "batch"] = r.batch;
      m[k + "training_days"] = days;
      fmt::print("             batch of {}: forward {:.2f} s, backward {:.2f} s; an ImageNet epoch {:.0f} hours, "
                 "{} epochs {:.0f} days\n", r.batch, r.forward_seconds, r.backward_seconds, epoch_hours, r.epochs,
                 days);
    }
    table += fmt::format("{},{},{},{},{},{:.3f},{:.3f},{},{:.4f},{:.1f},{},{:.1f}\n", r.key, r.params,
                         r.dense_params, r.madds, r.conv_madds, r.forward_seconds, r.backward_seconds, r.batch,
                         per_image, epoch_hours, r.epochs, days);
  }
  dl::write_file_atomic(csv, table);
}

}  // namespace ch14
