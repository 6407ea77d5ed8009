#include "dlcore/layers/perceptron.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/train/data.hpp"

namespace dl {

namespace {
// Row i of X (N, D) copied into x (D), resized once.
template <class T>
void copy_row(const Tensor2<T>& X, std::size_t i, Tensor1<T>& x) {
  const std::size_t D = X.shape(1);
  if (x.size() != D) x.resize({D});
  std::copy_n(X.data() + i * D, D, x.data());
}

template <class T>
void check_data(const char* who, const Tensor2<T>& X, const Labels& y, std::size_t D) {
  check_cols(who, "input X", X, D);
  check_labels(who, y, X.shape(0), 2);
}
}  // namespace

template <class T>
Perceptron<T>::Perceptron(std::size_t d) : w(xt::zeros<T>({d})) {}

template <class T>
T Perceptron<T>::score(const Tensor1<T>& x) const {
  if (x.size() != w.size())
    throw ShapeError("Perceptron: input x has shape " + shape_str(x.shape()) + " but expected (" +
                     std::to_string(w.size()) + ",)");
  //! [perceptron_score]
  T s = b;
  for (std::size_t j = 0; j < w.size(); ++j) s += w(j) * x(j);  // w.x + b
  //! [perceptron_score]
  return s;
}

template <class T>
int Perceptron<T>::predict_one(const Tensor1<T>& x) const {
  return score(x) > T(0) ? 1 : 0;  // the step activation
}

template <class T>
Labels Perceptron<T>::predict(const Tensor2<T>& X) const {
  check_cols("Perceptron::predict", "input X", X, dim());
  Labels out = Labels::from_shape({X.shape(0)});
  Tensor1<T> x;
  for (std::size_t i = 0; i < X.shape(0); ++i) {
    copy_row(X, i, x);
    out(i) = predict_one(x);
  }
  return out;
}

template <class T>
int Perceptron<T>::update(const Tensor1<T>& x, int y, T eta) {
  //! [perceptron_update]
  const int err = y - predict_one(x);  // y - yhat: +1, -1, or 0 when x is already right
  if (err != 0) {
    w += (eta * T(err)) * x;           // w <- w + eta (y - yhat) x
    b += eta * T(err);                 // b <- b + eta (y - yhat)
  }
  //! [perceptron_update]
  return err;
}

template <class T>
std::size_t count_errors(const Perceptron<T>& p, const Tensor2<T>& X, const Labels& y) {
  check_data("count_errors", X, y, p.dim());
  const Labels yhat = p.predict(X);
  std::size_t n = 0;
  for (std::size_t i = 0; i < yhat.size(); ++i) n += yhat(i) != y(i);
  return n;
}

template <class T>
PerceptronHistory<T> train_perceptron(Perceptron<T>& p, const Tensor2<T>& X, const Labels& y,
                                      Rng& rng, const PerceptronOptions& opt,
                                      const PerceptronStep<T>& step) {
  check_data("train_perceptron", X, y, p.dim());
  if (!(opt.eta > 0))
    throw ValueError("train_perceptron: learning rate eta must be > 0, got " + std::to_string(opt.eta));
  PerceptronHistory<T> h;
  h.best_errors = X.shape(0);
  Tensor1<T> x;
  for (std::size_t epoch = 1; epoch <= opt.epochs; ++epoch) {
    std::size_t mistakes = 0;
    //! [perceptron_epoch]
    for (std::size_t i : epoch_order(X.shape(0), rng, opt.shuffle)) {
      copy_row(X, i, x);
      if (p.predict_one(x) != y(i)) ++mistakes;   // the rule will fire on this one
      if (step) step(p, x, y(i), T(opt.eta));
      else p.update(x, y(i), T(opt.eta));
    }
    //! [perceptron_epoch]
    h.mistakes.push_back(mistakes);
    h.updates += mistakes;
    h.errors.push_back(count_errors(p, X, y));
    h.snapshots.push_back(p);
    h.best_errors = std::min(h.best_errors, h.errors.back());
    if (h.errors.back() == 0 && h.converged_epoch == 0) h.converged_epoch = epoch;
    if (h.converged_epoch && opt.stop_when_converged) break;
  }
  return h;
}

template <class T>
NovikoffBound novikoff_bound(const Tensor2<T>& X, const Labels& y, const Tensor1<T>& w_star,
                             T b_star) {
  check_data("novikoff_bound", X, y, w_star.size());
  const std::size_t N = X.shape(0), D = X.shape(1);
  double norm_u = double(b_star) * double(b_star);  // ||(w*, b*)||
  for (std::size_t j = 0; j < D; ++j) norm_u += double(w_star(j)) * double(w_star(j));
  norm_u = std::sqrt(norm_u);
  if (N == 0 || norm_u == 0)
    throw ValueError("novikoff_bound: needs examples and a nonzero hyperplane (w*, b*)");
  NovikoffBound r;
  r.margin = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < N; ++i) {
    double r2 = 1.0, s = double(b_star);  // the augmented input (x, 1)
    for (std::size_t j = 0; j < D; ++j) {
      r2 += double(X(i, j)) * double(X(i, j));
      s += double(w_star(j)) * double(X(i, j));
    }
    const double t = y(i) == 1 ? 1.0 : -1.0;
    const double m = t * s / norm_u;  // signed distance of (x_i, 1) to the hyperplane u
    if (m <= 0)
      throw ValueError("novikoff_bound: the hyperplane does not separate example " +
                       std::to_string(i) + " (label " + std::to_string(y(i)) +
                       ", signed margin " + std::to_string(m) + ")");
    r.radius = std::max(r.radius, std::sqrt(r2));
    r.margin = std::min(r.margin, m);
  }
  r.bound = (r.radius / r.margin) * (r.radius / r.margin);
  return r;
}

#define DL_PERCEPTRON(T)                                                                      \
  template struct Perceptron<T>;                                                              \
  template std::size_t count_errors(const Perceptron<T>&, const Tensor2<T>&, const Labels&);  \
  template PerceptronHistory<T> train_perceptron(Perceptron<T>&, const Tensor2<T>&,           \
                                                 const Labels&, Rng&, const PerceptronOptions&, \
                                                 const PerceptronStep<T>&);                   \
  template NovikoffBound novikoff_bound(const Tensor2<T>&, const Labels&, const Tensor1<T>&, T);
DL_PERCEPTRON(float)
DL_PERCEPTRON(double)

}  // namespace dl
