#include "dlcore/models/cnns.hpp"

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/dropout.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"

namespace dl {

template <class T>
Sequential<T> lenet5(Rng& rng, std::size_t classes) {
  Sequential<T> net;
  //! [lenet5]
  net.add(Conv2D<T>(1, 6, 5, rng)).add(ReLU<T>{})      // (N, 6, 24, 24)
      .add(MaxPool2D<T>(2))                            // (N, 6, 12, 12)
      .add(Conv2D<T>(6, 16, 5, rng)).add(ReLU<T>{})    // (N, 16, 8, 8)
      .add(MaxPool2D<T>(2))                            // (N, 16, 4, 4)
      .add(Flatten<T>{})                               // (N, 256)
      .add(Linear<T>(256, 120, rng)).add(ReLU<T>{})
      .add(Linear<T>(120, 84, rng)).add(ReLU<T>{})
      .add(Linear<T>(84, classes, rng));               // logits (N, 10)
  //! [lenet5]
  return net;
}

template <class T>
Sequential<T> seed_cnn(Rng& rng, std::size_t classes) {
  Sequential<T> net;
  //! [seed_cnn]
  net.add(Conv2D<T>(1, 32, 3, rng, 1, 1)).add(ReLU<T>{})   // "same": (N, 32, 28, 28)
      .add(Conv2D<T>(32, 32, 3, rng)).add(ReLU<T>{})       // "valid": (N, 32, 26, 26)
      .add(MaxPool2D<T>(2))                                // (N, 32, 13, 13)
      .add(Dropout<T>(T(0.25)))
      .add(Conv2D<T>(32, 64, 3, rng, 1, 1)).add(ReLU<T>{})  // (N, 64, 13, 13)
      .add(Conv2D<T>(64, 64, 3, rng)).add(ReLU<T>{})        // (N, 64, 11, 11)
      .add(MaxPool2D<T>(2))                                 // (N, 64, 5, 5)
      .add(Dropout<T>(T(0.25)))
      .add(Flatten<T>{})                                    // (N, 1600)
      .add(Linear<T>(1600, 512, rng)).add(ReLU<T>{})
      .add(Dropout<T>(T(0.5)))
      .add(Linear<T>(512, classes, rng));                   // logits (N, 10)
  //! [seed_cnn]
  return net;
}

template Sequential<float> lenet5<float>(Rng&, std::size_t);
template Sequential<double> lenet5<double>(Rng&, std::size_t);
template Sequential<float> seed_cnn<float>(Rng&, std::size_t);
template Sequential<double> seed_cnn<double>(Rng&, std::size_t);

}  // namespace dl
