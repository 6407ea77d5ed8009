#pragma once
/// \file
/// Rosenblatt's perceptron (1958): one neuron with a step activation, its learning rule, a
/// training loop that records every epoch, and Novikoff's (1962) bound on the number of
/// updates. Derivation and experiments: @ref ch01_perceptron "Chapter 1".

#include <cstddef>
#include <functional>
#include <vector>

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// A single neuron with a step activation: \f$ \hat y = [\,w^\top x + b > 0\,] \f$,
/// labels 0 and 1. Shapes: x (D), X (N, D), w (D).
template <class T>
struct Perceptron {
  Tensor1<T> w;  ///< weights (D)
  T b = T(0);    ///< bias

  Perceptron() = default;
  /// A perceptron on D inputs with zero weights and bias (the start Novikoff's bound assumes).
  explicit Perceptron(std::size_t d);

  std::size_t dim() const { return w.size(); }
  /// The weighted sum \f$ w^\top x + b \f$; ShapeError if x is not of size D.
  T score(const Tensor1<T>& x) const;
  /// The step activation of the score: 1 if \f$ w^\top x + b > 0 \f$, else 0.
  int predict_one(const Tensor1<T>& x) const;
  /// predict_one for every row of X (N, D).
  Labels predict(const Tensor2<T>& X) const;
  /// The perceptron learning rule on one example (x, y), y in {0, 1}:
  /// \f$ \hat y \f$ = predict_one(x), \f$ w \leftarrow w + \eta (y - \hat y) x \f$,
  /// \f$ b \leftarrow b + \eta (y - \hat y) \f$. Returns \f$ y - \hat y \f$ (0: no change).
  int update(const Tensor1<T>& x, int y, T eta);
};

/// How many rows of X the perceptron misclassifies.
template <class T>
std::size_t count_errors(const Perceptron<T>& p, const Tensor2<T>& X, const Labels& y);

/// One application of a learning rule to one example: the signature of Perceptron::update,
/// so a chapter can train with its own version of the rule (its exercise).
template <class T>
using PerceptronStep = std::function<void(Perceptron<T>& p, const Tensor1<T>& x, int y, T eta)>;

/// Settings of train_perceptron.
struct PerceptronOptions {
  std::size_t epochs = 50;           ///< passes over the data (at most)
  double eta = 1.0;                  ///< learning rate \f$ \eta \f$
  bool shuffle = true;               ///< a fresh order every epoch (else the data order)
  bool stop_when_converged = false;  ///< stop after the first epoch that ends with no error
};

/// What train_perceptron saw, epoch by epoch.
template <class T>
struct PerceptronHistory {
  std::vector<std::size_t> mistakes;    ///< per epoch: examples misclassified when visited (= updates)
  std::vector<std::size_t> errors;      ///< per epoch: examples misclassified at its end
  std::vector<Perceptron<T>> snapshots; ///< the weights at the end of each epoch
  std::size_t updates = 0;              ///< total updates (sum of mistakes)
  std::size_t converged_epoch = 0;      ///< first epoch that ended with no error (1-based); 0: never
  std::size_t best_errors = 0;          ///< fewest errors at the end of any epoch
};

/// Train with the perceptron rule: every epoch visits each example once (in a fresh random
/// order when opt.shuffle) and applies `step` to it, or Perceptron::update when `step` is
/// empty. A visit counts as a mistake when the example was misclassified just before it.
/// X (N, D) with D = p.dim(), labels y in {0, 1}; ShapeError / ValueError otherwise.
template <class T>
PerceptronHistory<T> train_perceptron(Perceptron<T>& p, const Tensor2<T>& X, const Labels& y,
                                      Rng& rng, const PerceptronOptions& opt,
                                      const PerceptronStep<T>& step = {});

/// Novikoff's bound for one separating hyperplane \f$ (w^*, b^*) \f$, in the augmented
/// space \f$ \tilde x = (x, 1) \f$, \f$ \tilde u = (w^*, b^*) / \|(w^*, b^*)\| \f$:
/// radius \f$ R = \max_i \|\tilde x_i\| \f$, margin
/// \f$ \gamma = \min_i t_i\, \tilde u^\top \tilde x_i \f$ with \f$ t_i = 2y_i - 1 \f$, and
/// bound \f$ (R/\gamma)^2 \f$ on the number of updates the rule makes from zero weights.
struct NovikoffBound {
  double radius = 0;  ///< \f$ R \f$
  double margin = 0;  ///< \f$ \gamma \f$ (of the given hyperplane, not the best one)
  double bound = 0;   ///< \f$ (R/\gamma)^2 \f$
};

/// The bound for the hyperplane \f$ w^{*\top} x + b^* = 0 \f$; ValueError naming the first
/// example it does not separate (then no bound follows from it), ShapeError on bad shapes.
template <class T>
NovikoffBound novikoff_bound(const Tensor2<T>& X, const Labels& y, const Tensor1<T>& w_star,
                             T b_star);

}  // namespace dl
