#include "dlcore/models/imagenet.hpp"

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/bottleneck.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/dropout.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"

namespace dl {

namespace {

// A hidden dense layer of VGG's and AlexNet's heads: Linear (He-initialised), then ReLU
template <class T>
void dense_relu(Sequential<T>& net, std::size_t d_in, std::size_t d_out, Rng& rng) {
  net.add(Linear<T>(d_in, d_out, rng, Init::he_uniform)).add(ReLU<T>{});
}

}  // namespace

template <class T>
Sequential<T> vgg16(Rng& rng, std::size_t classes) {
  Sequential<T> net;
  //! [vgg16]
  const std::size_t stages[5][2] = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};  // channels, convs
  std::size_t c = 3;
  for (const auto& [width, convs] : stages) {
    for (std::size_t k = 0; k < convs; ++k, c = width)
      net.add(Conv2D<T>(c, width, 3, rng, 1, 1)).add(ReLU<T>{});  // 3x3, padding 1: size kept
    net.add(MaxPool2D<T>(2));                                     // 224 112 56 28 14 -> 7
  }
  net.add(Flatten<T>{});                                          // (N, 512 * 7 * 7)
  dense_relu(net, 512 * 7 * 7, 4096, rng), net.add(Dropout<T>(T(0.5)));
  dense_relu(net, 4096, 4096, rng), net.add(Dropout<T>(T(0.5)));
  net.add(Linear<T>(4096, classes, rng));                         // logits
  //! [vgg16]
  return net;
}

template <class T>
Sequential<T> resnet50(Rng& rng, std::size_t classes) {
  Sequential<T> net;
  //! [resnet50]
  net.add(Conv2D<T>(3, 64, 7, rng, 2, 3, Init::he_normal, /*bias=*/false))  // (N, 64, 112, 112)
      .add(BatchNorm2d<T>(64)).add(ReLU<T>{})
      .add(MaxPool2D<T>(3, 2, 1));                                          // (N, 64, 56, 56)
  const std::size_t blocks[4] = {3, 4, 6, 3}, widths[4] = {64, 128, 256, 512};
  std::size_t c = 64;
  for (std::size_t s = 0; s < 4; ++s)
    for (std::size_t b = 0; b < blocks[s]; ++b) {
      const std::size_t stride = s > 0 && b == 0 ? 2 : 1;                  // 56 -> 28 -> 14 -> 7
      net.add(Bottleneck<T>(c, widths[s], rng, stride));                   // first of a stage: projection
      c = Bottleneck<T>::expansion * widths[s];                            // 256, 512, 1024, 2048
    }
  net.add(AvgPool2D<T>(7)).add(Flatten<T>{})                              // (N, 2048)
      .add(Linear<T>(2048, classes, rng));                                 // logits
  //! [resnet50]
  return net;
}

template <class T>
Sequential<T> alexnet(Rng& rng, std::size_t classes) {
  Sequential<T> net;
  //! [alexnet]
  net.add(Conv2D<T>(3, 64, 11, rng, 4, 2)).add(ReLU<T>{})     // (N, 64, 55, 55)
      .add(MaxPool2D<T>(3, 2))                                // overlapping pooling: 27
      .add(Conv2D<T>(64, 192, 5, rng, 1, 2)).add(ReLU<T>{})   // (N, 192, 27, 27)
      .add(MaxPool2D<T>(3, 2))                                // 13
      .add(Conv2D<T>(192, 384, 3, rng, 1, 1)).add(ReLU<T>{})
      .add(Conv2D<T>(384, 256, 3, rng, 1, 1)).add(ReLU<T>{})
      .add(Conv2D<T>(256, 256, 3, rng, 1, 1)).add(ReLU<T>{})  // (N, 256, 13, 13)
      .add(MaxPool2D<T>(3, 2))                                // 6
      .add(Flatten<T>{}).add(Dropout<T>(T(0.5)));             // (N, 9216)
  dense_relu(net, 256 * 6 * 6, 4096, rng), net.add(Dropout<T>(T(0.5)));
  dense_relu(net, 4096, 4096, rng);
  net.add(Linear<T>(4096, classes, rng));                     // logits
  //! [alexnet]
  return net;
}

template Sequential<float> vgg16<float>(Rng&, std::size_t);
template Sequential<double> vgg16<double>(Rng&, std::size_t);
template Sequential<float> resnet50<float>(Rng&, std::size_t);
template Sequential<double> resnet50<double>(Rng&, std::size_t);
template Sequential<float> alexnet<float>(Rng&, std::size_t);
template Sequential<double> alexnet<double>(Rng&, std::size_t);

}  // namespace dl
