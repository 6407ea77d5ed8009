#pragma once
/// \file
/// Module: the type-erased face of a layer, so a Sequential can hold a list of different
/// layers. A Module owns its layer and the layer's cache; the layer itself stays a plain
/// struct with typed forward/backward (see layers/linear.hpp).

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// What flows between the modules of a Sequential: a matrix (N, D), a sequence batch
/// (T, N, D) or an image batch (N, C, H, W).
template <class T>
using AnyTensor = std::variant<Tensor2<T>, Tensor3<T>, Tensor4<T>>;

/// Shape of whatever an AnyTensor holds.
template <class T>
std::vector<std::size_t> shape_of_any(const AnyTensor<T>& x) {
  return std::visit([](const auto& t) { return shape_of(t); }, x);
}

/// A layer behind a uniform interface. forward() caches, backward() uses the cache,
/// accumulates parameter gradients and returns the input gradient.
template <class T>
class Module {
 public:
  virtual ~Module() = default;
  /// Short description, e.g. "Linear(784 -> 512)".
  virtual std::string describe() const = 0;
  virtual AnyTensor<T> forward(const AnyTensor<T>& x, const Context& ctx) = 0;
  virtual AnyTensor<T> backward(const AnyTensor<T>& dy) = 0;
  virtual std::vector<ParamRef<T>> params() { return {}; }
  /// Non-parameter state saved with the model (e.g. BatchNorm running statistics).
  virtual std::vector<ParamRef<T>> buffers() { return {}; }
  /// False for the first module of a network: its input needs no gradient.
  bool input_grad = true;
};

namespace detail {
template <class L, class X, class = void>
struct takes_plain : std::false_type {};
template <class L, class X>
struct takes_plain<L, X,
                   std::void_t<decltype(std::declval<const L&>().forward(
                       std::declval<const X&>(), std::declval<typename L::Cache&>()))>>
    : std::true_type {};
template <class L, class X, class = void>
struct takes_context : std::false_type {};
template <class L, class X>
struct takes_context<L, X,
                     std::void_t<decltype(std::declval<L&>().forward(
                         std::declval<const X&>(), std::declval<typename L::Cache&>(),
                         std::declval<const Context&>()))>> : std::true_type {};
template <class L, class = void>
struct has_input_grad : std::false_type {};
template <class L>
struct has_input_grad<L, std::void_t<decltype(std::declval<L&>().input_grad)>> : std::true_type {
};
template <class L, class = void>
struct has_describe : std::false_type {};
template <class L>
struct has_describe<L, std::void_t<decltype(std::declval<const L&>().describe())>>
    : std::true_type {};
template <class L, class = void>
struct has_params : std::false_type {};
template <class L>
struct has_params<L, std::void_t<decltype(std::declval<L&>().params())>> : std::true_type {};
template <class L, class = void>
struct has_buffers : std::false_type {};
template <class L>
struct has_buffers<L, std::void_t<decltype(std::declval<L&>().buffers())>> : std::true_type {};

// A layer whose forward is one non-template function accepts exactly its first parameter's
// type: xtensor containers convert implicitly between ranks, so "is it callable" would let a
// (N, C, H, W) batch into a Linear layer. Template forwards (elementwise layers) deduce the
// rank exactly, so for them "callable" is right.
template <class F>
struct first_arg;
template <class R, class C, class A, class... Rest>
struct first_arg<R (C::*)(A, Rest...) const> {
  using type = std::decay_t<A>;
};
template <class R, class C, class A, class... Rest>
struct first_arg<R (C::*)(A, Rest...)> {
  using type = std::decay_t<A>;
};
template <class L, class = void>
struct fixed_input : std::false_type {};
template <class L>
struct fixed_input<L, std::void_t<decltype(&L::forward)>> : std::true_type {
  using type = typename first_arg<decltype(&L::forward)>::type;
};
template <class L, class X>
constexpr bool accepts() {
  if constexpr (fixed_input<L>::value) return std::is_same_v<typename fixed_input<L>::type, X>;
  else return takes_plain<L, X>::value || takes_context<L, X>::value;
}

// The gradient a layer's backward accepts: its first parameter's type when backward is one
// non-template function (Flatten takes a matrix back although its input was an image batch),
// else whatever its forward accepts.
template <class L, class = void>
struct fixed_grad : std::false_type {};
template <class L>
struct fixed_grad<L, std::void_t<decltype(&L::backward)>> : std::true_type {
  using type = typename first_arg<decltype(&L::backward)>::type;
};
template <class L, class G>
constexpr bool accepts_grad() {
  if constexpr (fixed_grad<L>::value) return std::is_same_v<typename fixed_grad<L>::type, G>;
  else return accepts<L, G>();
}

template <class X>
const char* rank_name() {
  constexpr std::size_t r = X::rank;
  return r == 2 ? "a matrix (N, D)" : r == 3 ? "a sequence batch (T, N, D)" : "an image batch (N, C, H, W)";
}
}  // namespace detail

/// Wraps a layer struct L (with L::Cache, forward, backward) as a Module. The layer is
/// public: a chapter can reach in and look at its weights.
template <class T, class L>
class LayerModule : public Module<T> {
 public:
  /// The description defaults to the layer's describe().
  explicit LayerModule(L l, std::string description = {})
      : layer(std::move(l)), description_(std::move(description)) {
    if constexpr (detail::has_describe<L>::value)
      if (description_.empty()) description_ = layer.describe();
    if (description_.empty()) description_ = "layer";
  }

  std::string describe() const override { return description_; }

  AnyTensor<T> forward(const AnyTensor<T>& x, const Context& ctx) override {
    return std::visit(
        [&](const auto& xi) -> AnyTensor<T> {
          using X = std::decay_t<decltype(xi)>;
          if constexpr (detail::accepts<L, X>() && detail::takes_context<L, X>::value)
            return layer.forward(xi, cache_, ctx);
          else if constexpr (detail::accepts<L, X>() && detail::takes_plain<L, X>::value)
            return layer.forward(xi, cache_);
          else
            throw ShapeError(description_ + ": does not accept " + detail::rank_name<X>() +
                             "; got shape " + shape_str(xi.shape()));
        },
        x);
  }

  AnyTensor<T> backward(const AnyTensor<T>& dy) override {
    if constexpr (detail::has_input_grad<L>::value) layer.input_grad = this->input_grad;
    return std::visit(
        [&](const auto& g) -> AnyTensor<T> {
          using G = std::decay_t<decltype(g)>;
          if constexpr (detail::accepts_grad<L, G>())
            return layer.backward(g, cache_);
          else
            throw ShapeError(description_ + ": backward got " + detail::rank_name<G>() +
                             " of shape " + shape_str(g.shape()));
        },
        dy);
  }

  std::vector<ParamRef<T>> params() override {
    if constexpr (detail::has_params<L>::value) return layer.params();
    else return {};
  }
  std::vector<ParamRef<T>> buffers() override {
    if constexpr (detail::has_buffers<L>::value) return layer.buffers();
    else return {};
  }

  L layer;

 private:
  typename L::Cache cache_;
  std::string description_;
};

}  // namespace dl
