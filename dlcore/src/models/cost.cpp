#include "dlcore/models/cost.hpp"

#include "dlcore/core/error.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/bottleneck.hpp"
#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/depthwise.hpp"
#include "dlcore/layers/dropout.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"
#include "dlcore/layers/residual.hpp"

namespace dl {

namespace {

using Shape = std::vector<std::size_t>;  // one image: (C, H, W) or (D)

// The layer struct inside a module, or nullptr if the module holds another type.
template <class L, class T>
L* as(Module<T>& m) {
  auto* lm = dynamic_cast<LayerModule<T, L>*>(&m);
  return lm ? &lm->layer : nullptr;
}

std::size_t product(const Shape& s) {
  std::size_t p = 1;
  for (std::size_t v : s) p *= v;
  return p;
}

void need_channels(const std::string& who, const Shape& in, std::size_t c) {
  if (in.size() != 3 || in[0] != c)
    throw ShapeError(who + ": an input of shape " + shape_str(in) + " per image but expected (" +
                     std::to_string(c) + ", H, W)");
}

// A k x k window with stride s and padding p over (C, H, W): (C, Ho, Wo).
Shape window(const std::string& who, const Shape& in, std::size_t k, std::size_t s, std::size_t p) {
  if (in.size() != 3) throw ShapeError(who + ": an input of shape " + shape_str(in) + " per image but expected (C, H, W)");
  return {in[0], conv_out_size(who, in[1], k, s, p), conv_out_size(who, in[2], k, s, p)};
}

// A convolution's output shape and multiply-adds: C_out Ho Wo (C_in kh kw).
template <class T>
Shape conv(const Conv2D<T>& c, const Shape& in, std::size_t& madds) {
  need_channels(c.describe(), in, c.c_in());
  Shape out = window(c.describe(), in, c.kh(), c.stride, c.padding);
  out[0] = c.c_out();
  madds += product(out) * c.c_in() * c.kh() * c.kw();
  return out;
}

template <class T>
bool elementwise(Module<T>& m) {
  return as<ReLU<T>>(m) || as<LeakyReLU<T>>(m) || as<Sigmoid<T>>(m) || as<Tanh<T>>(m) ||
         as<Softmax<T>>(m) || as<Dropout<T>>(m) || as<BatchNorm1d<T>>(m) || as<BatchNorm2d<T>>(m);
}

// Output shape of module m for an input of shape `in`; adds its multiply-adds to `madds`.
template <class T>
Shape propagate(Module<T>& m, const Shape& in, std::size_t& madds) {
  if (auto* c = as<Conv2D<T>>(m)) return conv(*c, in, madds);
  if (auto* b = as<ResidualBlock<T>>(m)) {
    Shape out = conv(b->conv2, conv(b->conv1, in, madds), madds);
    if (b->shortcut == Shortcut::projection) conv(b->proj, in, madds);
    return out;
  }
  if (auto* b = as<Bottleneck<T>>(m)) {
    Shape out = conv(b->conv3, conv(b->conv2, conv(b->conv1, in, madds), madds), madds);
    if (b->projection) conv(b->proj, in, madds);
    return out;
  }
  if (auto* d = as<DepthwiseConv2D<T>>(m)) {
    need_channels(d->describe(), in, d->W.shape(0));
    const Shape out = window(d->describe(), in, d->W.shape(2), d->stride, d->padding);
    madds += product(out) * d->W.shape(2) * d->W.shape(3);  // k^2 per output, one channel
    return out;
  }
  if (auto* p = as<PointwiseConv2D<T>>(m)) {
    need_channels(p->describe(), in, p->c_in());
    madds += in[1] * in[2] * p->c_out() * p->c_in();
    return {p->c_out(), in[1], in[2]};
  }
  if (auto* l = as<Linear<T>>(m)) {
    if (in.size() != 1 || in[0] != l->d_in())
      throw ShapeError(l->describe() + ": an input of shape " + shape_str(in) + " per image but expected (" +
                       std::to_string(l->d_in()) + ")");
    madds += l->d_in() * l->d_out();
    return {l->d_out()};
  }
  if (auto* p = as<MaxPool2D<T>>(m)) return window(p->describe(), in, p->kernel, p->stride, p->padding);
  if (auto* p = as<AvgPool2D<T>>(m)) return window(p->describe(), in, p->kernel, p->stride, p->padding);
  if (as<Flatten<T>>(m)) return {product(in)};
  if (elementwise(m)) return in;
  throw ValueError("count_cost: does not know the cost of module " + m.describe());
}

}  // namespace

template <class T>
NetCost count_cost(Sequential<T>& net, const std::vector<std::size_t>& image) {
  NetCost total;
  Shape shape = image;
  for (std::size_t i = 0; i < net.size(); ++i) {
    Module<T>& m = net.module(i);
    LayerCost c;
    c.layer = m.describe();
    shape = propagate(m, shape, c.madds);
    c.out_shape = shape;
    for (const auto& p : m.params()) c.params += p.size();
    total.params += c.params;
    total.madds += c.madds;
    total.layers.push_back(std::move(c));
  }
  return total;
}

template NetCost count_cost<float>(Sequential<float>&, const std::vector<std::size_t>&);
template NetCost count_cost<double>(Sequential<double>&, const std::vector<std::size_t>&);

}  // namespace dl
