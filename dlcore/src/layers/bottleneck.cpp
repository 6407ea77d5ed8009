#include "dlcore/layers/bottleneck.hpp"

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "block_ops.hpp"

namespace dl {

using blocks::add_into;
using blocks::prefixed;
using blocks::relu_inplace;
using blocks::relu_mask;

template <class T>
Bottleneck<T>::Bottleneck(std::size_t c_in, std::size_t width, Rng& rng, std::size_t stride) {
  if (c_in == 0 || width == 0 || stride == 0)
    throw ValueError("Bottleneck: channels, width and stride must be positive, got C_in " +
                     std::to_string(c_in) + ", width " + std::to_string(width) + ", stride " +
                     std::to_string(stride));
  const std::size_t c_out = expansion * width;
  conv1 = Conv2D<T>(c_in, width, 1, rng, 1, 0, Init::he_normal, /*bias=*/false);
  conv2 = Conv2D<T>(width, width, 3, rng, stride, 1, Init::he_normal, /*bias=*/false);
  conv3 = Conv2D<T>(width, c_out, 1, rng, 1, 0, Init::he_normal, /*bias=*/false);
  bn1 = BatchNorm2d<T>(width), bn2 = BatchNorm2d<T>(width), bn3 = BatchNorm2d<T>(c_out);
  projection = c_in != c_out || stride != 1;
  if (projection) {
    proj = Conv2D<T>(c_in, c_out, 1, rng, stride, 0, Init::he_normal, /*bias=*/false);
    proj_bn = BatchNorm2d<T>(c_out);
  }
}

template <class T>
Tensor4<T> Bottleneck<T>::forward(const Tensor4<T>& x, Cache& cache, const Context& ctx) {
  if (x.shape(1) != c_in())
    throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) +
                     " but expected (N, " + std::to_string(c_in()) + ", H, W)");
  //! [bottleneck_forward]
  cache.a1 = bn1.forward(conv1.forward(x, cache.c1), cache.b1, ctx);         // BN_1(W_1 * x), 1x1
  relu_inplace(cache.a1);                                                     // a_1
  cache.a2 = bn2.forward(conv2.forward(cache.a1, cache.c2), cache.b2, ctx);  // BN_2(W_2 * a_1), 3x3
  relu_inplace(cache.a2);                                                     // a_2
  Tensor4<T> z = bn3.forward(conv3.forward(cache.a2, cache.c3), cache.b3, ctx);  // F(x), 1x1
  if (projection)
    add_into(z, proj_bn.forward(proj.forward(x, cache.cp), cache.bp, ctx));  // z = F(x) + BN_s(W_s * x)
  else
    add_into(z, x);                                                          // z = F(x) + x
  relu_inplace(z);                                                           // y = relu(z)
  //! [bottleneck_forward]
  cache.y = z;
  return z;
}

template <class T>
Tensor4<T> Bottleneck<T>::backward(const Tensor4<T>& dy, const Cache& cache) {
  check_same_shape(describe(), "gradient dY", dy, "the output Y", cache.y);
  conv1.input_grad = input_grad;
  proj.input_grad = input_grad;
  //! [bottleneck_backward]
  Tensor4<T> dz = dy;
  relu_mask(dz, cache.y);                                                   // dz = dy [y > 0]
  Tensor4<T> da2 = conv3.backward(bn3.backward(dz, cache.b3), cache.c3);    // back through BN_3, W_3
  relu_mask(da2, cache.a2);                                                 // the second ReLU
  Tensor4<T> da1 = conv2.backward(bn2.backward(da2, cache.b2), cache.c2);   // BN_2, W_2
  relu_mask(da1, cache.a1);                                                 // the first ReLU
  Tensor4<T> dx = conv1.backward(bn1.backward(da1, cache.b1), cache.c1);    // dF/dx^T dz
  Tensor4<T> ds;
  if (projection) ds = proj.backward(proj_bn.backward(dz, cache.bp), cache.cp);  // dS/dx^T dz
  if (!input_grad) return dx;                                               // (empty: no dX wanted)
  add_into(dx, projection ? ds : dz);                                       // the two paths add
  //! [bottleneck_backward]
  return dx;
}

template <class T>
std::vector<ParamRef<T>> Bottleneck<T>::params() {
  std::vector<ParamRef<T>> all;
  prefixed(all, "conv1", conv1.params());
  prefixed(all, "bn1", bn1.params());
  prefixed(all, "conv2", conv2.params());
  prefixed(all, "bn2", bn2.params());
  prefixed(all, "conv3", conv3.params());
  prefixed(all, "bn3", bn3.params());
  if (projection) {
    prefixed(all, "proj", proj.params());
    prefixed(all, "proj_bn", proj_bn.params());
  }
  return all;
}

template <class T>
std::vector<ParamRef<T>> Bottleneck<T>::buffers() {
  std::vector<ParamRef<T>> all;
  prefixed(all, "bn1", bn1.buffers());
  prefixed(all, "bn2", bn2.buffers());
  prefixed(all, "bn3", bn3.buffers());
  if (projection) prefixed(all, "proj_bn", proj_bn.buffers());
  return all;
}

template <class T>
std::string Bottleneck<T>::describe() const {
  return "Bottleneck(" + std::to_string(c_in()) + " -> " + std::to_string(width()) + " -> " +
         std::to_string(c_out()) + ", stride " + std::to_string(stride()) + ", " +
         (projection ? "projection" : "identity") + ")";
}

template struct Bottleneck<float>;
template struct Bottleneck<double>;

}  // namespace dl
