// Chapter 23: the seeds' five Keras programs, each line of Keras quoted beside its dlcore line.
// Text: docs/ch23_frameworks.md
#include "keras_programs.hpp"

#include <cmath>

#include <datasets/words.hpp>

namespace ch23 {

using namespace dl;

namespace {
// The fraction of rows where the sign of the logit z agrees with the 0/1 target.
double binary_accuracy(const Tensor2<float>& z, const Tensor2<float>& y) {
  return double(xt::mean(xt::cast<double>(xt::equal(z > 0.0f, y > 0.5f)))());
}
}  // namespace

Outcome keras_mlp(const Flat& train, const Flat& val, const Flat& test, const Budget& b, Rng& rng) {
  Outcome o;
  //! [mlp]
  Sequential<float> net;                                         // model = Sequential()
  net.add(Linear<float>(784, 512, rng)).add(ReLU<float>{});      // model.add(Dense(512, activation='relu', input_shape=(784,)))
  net.add(Linear<float>(512, 10, rng));                          // model.add(Dense(10, activation='softmax'))
  Adam<float> optimizer(1e-3f);                                  // optimizer = Adam(lr=0.001)
  SoftmaxCrossEntropy<float> loss;                               // model.compile(optimizer=optimizer, loss='sparse_categorical_crossentropy', ...)
  FitOptions fo;                                                 // model.fit(x_train, y_train, epochs=10, batch_size=128)
  fo.epochs = b.epochs, fo.batch_size = 128, fo.progress = b.progress;
  o.history = fit(net, loss, optimizer, train.X, train.y, rng, fo, &val);
  const Evaluation ev = evaluate(net, loss, test.X, test.y);     // loss, accuracy = model.evaluate(x_test, y_test)
  //! [mlp]
  o.test_outputs = predict(net, test.X);
  o.test_loss = ev.loss, o.test_score = ev.accuracy, o.net = std::move(net);
  return o;
}

Outcome keras_lenet5(const Images& train, const Images& val, const Images& test, const Budget& b, Rng& rng) {
  Outcome o;
  //! [lenet5]
  Sequential<float> net;                                                   // model = Sequential([
  net.add(Conv2D<float>(1, 6, 5, rng)).add(ReLU<float>{});           //   Conv2D(filters=6, kernel_size=(5,5), activation='relu', input_shape=(28,28,1)),
  net.add(MaxPool2D<float>(2));                                            //   MaxPooling2D(),
  net.add(Conv2D<float>(6, 16, 5, rng)).add(ReLU<float>{});          //   Conv2D(filters=16, kernel_size=(5,5), activation='relu'),
  net.add(MaxPool2D<float>(2));                                            //   MaxPooling2D(),
  net.add(Flatten<float>{});                                               //   Flatten(),
  net.add(Linear<float>(16 * 4 * 4, 120, rng)).add(ReLU<float>{});         //   Dense(120, activation='relu'),
  net.add(Linear<float>(120, 84, rng)).add(ReLU<float>{});                 //   Dense(84, activation='relu'),
  net.add(Linear<float>(84, 10, rng));                                     //   Dense(10, activation='softmax') ])
  Adam<float> optimizer(1e-3f);                                            // model.compile(optimizer='adam',
  SoftmaxCrossEntropy<float> loss;                                         //   loss='sparse_categorical_crossentropy', metrics=['accuracy'])
  FitOptions fo;                                                           // history = model.fit(train_images, train_labels, epochs=10,
  fo.epochs = b.epochs, fo.batch_size = 128, fo.progress = b.progress;     //   batch_size=128, validation_data=(val_images, val_labels))
  o.history = fit(net, loss, optimizer, train.X, train.y, rng, fo, &val);
  const Evaluation ev = evaluate(net, loss, test.X, test.y);
  //! [lenet5]
  o.test_outputs = predict(net, test.X);
  o.test_loss = ev.loss, o.test_score = ev.accuracy, o.net = std::move(net);
  return o;
}

Outcome keras_cnn(const Images& train, const Images& val, const Images& test, const Budget& b, Rng& rng) {
  Outcome o;
  //! [cnn]
  Sequential<float> net;                                            // model = Sequential([
  net.add(Conv2D<float>(1, 32, 3, rng, 1, 1)).add(ReLU<float>{});   //   Conv2D(filters=32, kernel_size=(3, 3), padding='same', activation='relu', input_shape=(28, 28, 1)),
  net.add(Conv2D<float>(32, 32, 3, rng)).add(ReLU<float>{});        //   Conv2D(filters=32, kernel_size=(3, 3), activation='relu'),
  net.add(MaxPool2D<float>(2));                                     //   MaxPooling2D(pool_size=(2, 2)),
  net.add(Dropout<float>(0.25f));                                   //   Dropout(rate=0.25),
  net.add(Conv2D<float>(32, 64, 3, rng, 1, 1)).add(ReLU<float>{});  //   Conv2D(filters=64, kernel_size=(3, 3), padding='same', activation='relu'),
  net.add(Conv2D<float>(64, 64, 3, rng)).add(ReLU<float>{});        //   Conv2D(filters=64, kernel_size=(3, 3), activation='relu'),
  net.add(MaxPool2D<float>(2));                                     //   MaxPooling2D(pool_size=(2, 2)),
  net.add(Dropout<float>(0.25f));                                   //   Dropout(rate=0.25),
  net.add(Flatten<float>{});                                        //   Flatten(),
  net.add(Linear<float>(64 * 5 * 5, 512, rng)).add(ReLU<float>{});  //   Dense(units=512, activation='relu'),
  net.add(Dropout<float>(0.5f));                                    //   Dropout(rate=0.5),
  net.add(Linear<float>(512, 10, rng));                             //   Dense(units=10, activation='softmax') ])
  Adam<float> optimizer(1e-3f);                                     // model.compile(optimizer='adam',
  SoftmaxCrossEntropy<float> loss;                                  //   loss='categorical_crossentropy', metrics=['accuracy'])
  FitOptions fo;                                                    // model.fit(X_train, y_train, epochs=5, batch_size=32,
  fo.epochs = b.epochs, fo.batch_size = 32, fo.progress = b.progress;  //   validation_split=0.2)
  o.history = fit(net, loss, optimizer, train.X, train.y, rng, fo, &val);
  const Evaluation ev = evaluate(net, loss, test.X, test.y);        // loss, acc = model.evaluate(X_test, y_test)
  //! [cnn]
  o.test_outputs = predict(net, test.X);
  o.test_loss = ev.loss, o.test_score = ev.accuracy, o.net = std::move(net);
  return o;
}

Outcome keras_dropout_mlp(const Points& train, const Points& val, const Points& test, const Budget& b, Rng& rng) {
  Outcome o;
  //! [dropout_mlp]
  Sequential<float> net;                                       // model = Sequential()
  net.add(Linear<float>(2, 16, rng)).add(ReLU<float>{});       // model.add(Dense(units=16, activation='relu', input_dim=2))
  net.add(Dropout<float>(0.5f));                               // model.add(Dropout(rate=0.5))
  net.add(Linear<float>(16, 16, rng)).add(ReLU<float>{});      // model.add(Dense(units=16, activation='relu'))
  net.add(Dropout<float>(0.5f));                               // model.add(Dropout(rate=0.5))
  net.add(Linear<float>(16, 1, rng));                          // model.add(Dense(units=1, activation='linear'))
  Adam<float> optimizer(1e-3f);                                // model.compile(loss='mean_squared_error',
  MSELoss<float> loss;                                         //   optimizer='adam')
  FitOptions fo;                                               // history = model.fit(x_train, y_train, epochs=200, batch_size=32,
  fo.epochs = b.epochs, fo.batch_size = 32, fo.progress = b.progress;  //   validation_data=(x_val, y_val))
  o.history = fit(net, loss, optimizer, train.X, train.y, rng, fo, &val);
  const Evaluation ev = evaluate(net, loss, test.X, test.y);   // scores = model.evaluate(x_test, y_test)
  //! [dropout_mlp]
  o.test_outputs = predict(net, test.X);
  o.test_loss = ev.loss, o.test_score = std::sqrt(ev.loss), o.net = std::move(net);
  return o;
}

Outcome keras_simple_rnn(const Points& train, const Points& val, const Points& test, std::size_t vocab,
                         const Budget& b, Rng& rng) {
  Outcome o;
  //! [simple_rnn]
  Sequential<float> net;                          // model = Sequential()
  net.add(Embedding<float>(vocab, 32, rng));      // model.add(Embedding(input_dim=num_words+1, output_dim=100, ...))
  net.add(RNN<float>(32, 64, rng));               // model.add(SimpleRNN(units=64, return_sequences=True))
  net.add(RNN<float>(64, 32, rng));               // model.add(SimpleRNN(units=32))
  net.add(LastStep<float>{});                     //   (the last step only: SimpleRNN's default)
  net.add(Linear<float>(32, 1, rng));             // model.add(Dense(units=1, activation='sigmoid'))
  RMSprop<float> optimizer(1e-3f, 0.9f, 1e-7f);   // model.compile(loss='binary_crossentropy',
  SigmoidBinaryCrossEntropy<float> loss;          //   optimizer='rmsprop', metrics=['accuracy'])
  FitOptions fo;                                  // history = model.fit(X_train, y_train, epochs=10,
  fo.epochs = b.epochs, fo.batch_size = 64;       //   batch_size=batch_size, validation_split=0.2)
  fo.progress = b.progress, fo.lengths = &train.lengths;
  o.history = fit(net, loss, optimizer, train.X, train.y, rng, fo, &val);
  const Tensor2<float> z = predict(net, test.X, 512, &test.lengths);  // loss, acc = model.evaluate(X_test, y_test)
  //! [simple_rnn]
  SigmoidBinaryCrossEntropy<float>::Cache cache;
  o.test_loss = double(loss.forward(z, test.y, cache));
  o.test_score = binary_accuracy(z, test.y);
  o.test_outputs = z;
  o.net = std::move(net);
  return o;
}

Points wave_regression(std::size_t n, Rng& rng) {
  Points d{Tensor2<float>::from_shape({n, 2}), Tensor2<float>::from_shape({n, 1})};
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = rng.uniform(-1, 1), x2 = rng.uniform(-1, 1);
    d.X(i, 0) = float(x1), d.X(i, 1) = float(x2);
    d.y(i, 0) = float(std::sin(M_PI * x1) * std::cos(M_PI * x2 / 2) + 0.1 * rng.normal());
  }
  return d;
}

Words english_or_french(const std::filesystem::path& dict_dir, std::size_t per_language) {
  const datasets::WordLanguages all = datasets::load_word_languages(dict_dir, /*seed=*/0, per_language);
  auto two = [&](const datasets::WordSet& s) {  // the English (0) and French (1) words only
    datasets::WordSet kept;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.labels[i] <= 1) kept.words.push_back(s.words[i]), kept.labels.push_back(s.labels[i]);
    const auto d = datasets::encode_words<float>(kept, all.vocab);
    Tensor2<float> y = xt::reshape_view(xt::cast<float>(d.y), {d.y.size(), std::size_t(1)});
    return Points{d.X, std::move(y), d.lengths};
  };
  return Words{two(all.train), two(all.val), two(all.test), all.vocab.size()};
}

}  // namespace ch23
