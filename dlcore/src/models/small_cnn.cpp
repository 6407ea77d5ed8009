#include "dlcore/models/small_cnn.hpp"

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"

namespace dl {

template <class T>
Sequential<T> small_cnn_body(Rng& rng) {
  Sequential<T> net;
  //! [small_cnn_body]
  net.add(Conv2D<T>(1, 16, 3, rng, 1, 1)).add(ReLU<T>{})   // (N, 16, 28, 28)
      .add(MaxPool2D<T>(2))                                // (N, 16, 14, 14)
      .add(Conv2D<T>(16, 32, 3, rng, 1, 1)).add(ReLU<T>{})  // (N, 32, 14, 14)
      .add(MaxPool2D<T>(2))                                // (N, 32, 7, 7)
      .add(Flatten<T>{})                                   // (N, 1568)
      .add(Linear<T>(32 * 7 * 7, kSmallCnnFeatures, rng)).add(ReLU<T>{});  // features (N, 128)
  //! [small_cnn_body]
  return net;
}

template <class T>
Sequential<T> small_cnn(Rng& rng, std::size_t classes) {
  Sequential<T> net = small_cnn_body<T>(rng);
  net.add(Linear<T>(kSmallCnnFeatures, classes, rng));  // the head: logits (N, classes)
  return net;
}

template Sequential<float> small_cnn_body<float>(Rng&);
template Sequential<double> small_cnn_body<double>(Rng&);
template Sequential<float> small_cnn<float>(Rng&, std::size_t);
template Sequential<double> small_cnn<double>(Rng&, std::size_t);

}  // namespace dl
