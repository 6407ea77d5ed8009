#pragma once
// Chapter 4: backpropagation on scalars, before the matrices. One neuron with a weight
// penalty: z = w x + b, a = tanh z, L = (a - y)^2 / 2 + lambda w^2 / 2.
// Text: docs/ch04_backprop.md, "A scalar example".
#include <algorithm>
#include <cmath>

namespace ch04 {

struct ScalarExample {
  double L;                       ///< the loss
  double dw, db, dx;              ///< backpropagation
  double num_dw, num_db, num_dx;  ///< central differences
  double max_error() const {
    return std::max({std::abs(dw - num_dw), std::abs(db - num_db), std::abs(dx - num_dx)});
  }
};

inline double scalar_loss(double w, double b, double x, double y, double lambda) {
  //! [scalar_forward]
  const double z = w * x + b;                                       // z = w x + b
  const double a = std::tanh(z);                                    // a = tanh z
  const double L = 0.5 * (a - y) * (a - y) + 0.5 * lambda * w * w;  // L = (a-y)^2/2 + lambda w^2/2
  //! [scalar_forward]
  return L;
}

inline ScalarExample scalar_example(double w = -1.2, double b = 0.3, double x = 0.5,
                                    double y = 1.0, double lambda = 0.1) {
  const double z = w * x + b, a = std::tanh(z);
  const double L = scalar_loss(w, b, x, y, lambda);
  //! [scalar_backward]
  double dL = 1, da = 0, dz = 0, dw = 0, db = 0, dx = 0;  // every gradient starts at 0
  dw += lambda * w * dL;     // L = ... + lambda w^2/2:  dL/dw, first path
  da += (a - y) * dL;        // L = (a - y)^2/2:         dL/da = a - y
  dz += (1 - a * a) * da;    // a = tanh z:              da/dz = 1 - a^2
  dw += x * dz;              // z = w x + b:             dz/dw = x  (second path: accumulate)
  db += 1 * dz;              //                          dz/db = 1
  dx += w * dz;              //                          dz/dx = w
  //! [scalar_backward]
  const double h = 1e-6;
  auto central = [&](auto f) { return (f(h) - f(-h)) / (2 * h); };
  return {L, dw, db, dx,
          central([&](double s) { return scalar_loss(w + s, b, x, y, lambda); }),
          central([&](double s) { return scalar_loss(w, b + s, x, y, lambda); }),
          central([&](double s) { return scalar_loss(w, b, x + s, y, lambda); })};
}

}  // namespace ch04
