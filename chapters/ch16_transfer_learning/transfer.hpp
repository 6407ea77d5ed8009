#pragma once
// Chapter 16 helpers: picking classes out of a dataset, taking k labelled examples per
// class, and the ways of training on the new classes (frozen features, fine-tuning, from
// scratch, and the source articles' recipe: the convolution kernels reused, the dense
// layers trained anew).
#include <dlcore/dlcore.hpp>

namespace ch16 {

using Images = dl::Dataset<dl::Tensor4<float>>;
using Features = dl::Dataset<dl::Tensor2<float>>;

/// The examples of `classes`, relabelled 0, 1, ... in the order the classes are given.
inline Images select_classes(const Images& d, const std::vector<int>& classes) {
  std::vector<std::size_t> rows;
  dl::Labels y = dl::Labels::from_shape({d.size()});
  for (std::size_t i = 0; i < d.size(); ++i)
    for (std::size_t k = 0; k < classes.size(); ++k)
      if (d.y(i) == classes[k]) {
        rows.push_back(i);
        y(i) = std::int32_t(k);
      }
  Images out;
  dl::gather_rows(d.X, rows, 0, rows.size(), out.X);
  dl::gather_rows(y, rows, 0, rows.size(), out.y);
  return out;
}

/// The first k examples of each of K classes (in the dataset's order), and the rest.
inline std::pair<Images, Images> take_per_class(const Images& d, std::size_t k, std::size_t K) {
  std::vector<std::size_t> taken, rest, count(K, 0);
  for (std::size_t i = 0; i < d.size(); ++i)
    (count[std::size_t(d.y(i))]++ < k ? taken : rest).push_back(i);
  for (std::size_t c = 0; c < K; ++c)
    if (count[c] < k)
      throw dl::ValueError(fmt::format("take_per_class: class {} has {} examples, fewer than {}", c,
                                       count[c], k));
  std::vector<std::size_t> order = taken;
  order.insert(order.end(), rest.begin(), rest.end());
  return dl::split(d, rest.size(), order);
}

/// The body's features of every image, computed once (in evaluation mode, in batches).
inline Features features(dl::Sequential<float>& body, const Images& d) {
  return {dl::predict(body, d.X), d.y};
}

//! [conv_part]
/// The convolutional part of a small CNN, its modules up to Flatten, with `net`'s kernels:
/// what the source articles' recipe keeps. Output (N, 32 * 7 * 7 = 1,568).
inline dl::Sequential<float> conv_part(dl::Sequential<float>& net) {
  dl::Sequential<float> convs;
  convs.add(net.layer<dl::Conv2D<float>>(0)).add(dl::ReLU<float>{}).add(dl::MaxPool2D<float>(2))
      .add(net.layer<dl::Conv2D<float>>(3)).add(dl::ReLU<float>{}).add(dl::MaxPool2D<float>(2))
      .add(dl::Flatten<float>{});
  return convs;
}
//! [conv_part]

/// How the new classes are trained: a fixed budget of steps, the same for every arm.
struct Recipe {
  std::size_t steps = 300, batch_size = 32;
  float lr = 1e-3f, head_lr = 1e-2f, finetune_lr = 1e-3f;
  int epochs_for(std::size_t n) const {  // epochs that give about `steps` steps on n examples
    const std::size_t per_epoch = (n + batch_size - 1) / batch_size;
    return int((steps + per_epoch - 1) / per_epoch);
  }
};

/// What one arm gives: its curves and its test accuracy.
struct ArmResult {
  dl::History history;
  double test_accuracy = 0;
};

template <class XT>
ArmResult train(dl::Sequential<float>& net, float lr, const dl::Dataset<XT>& train_set,
                const dl::Dataset<XT>* val, const dl::Dataset<XT>& test, const Recipe& r,
                std::uint64_t seed) {
  dl::Adam<float> adam(lr);
  dl::FitOptions fo;
  fo.epochs = r.epochs_for(train_set.size());
  fo.batch_size = r.batch_size;
  fo.progress = false;
  dl::Rng order(seed);
  ArmResult a;
  a.history = dl::fit(net, dl::SoftmaxCrossEntropy<float>{}, adam, train_set.X, train_set.y, order, fo, val);
  a.test_accuracy = dl::evaluate(net, dl::SoftmaxCrossEntropy<float>{}, test.X, test.y).accuracy;
  return a;
}

}  // namespace ch16
