#include "dlcore/layers/residual.hpp"

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "block_ops.hpp"

namespace dl {

using blocks::add_into;
using blocks::prefixed;
using blocks::relu_inplace;
using blocks::relu_mask;

template <class T>
ResidualBlock<T>::ResidualBlock(std::size_t c_in, std::size_t c_out, Rng& rng, std::size_t stride,
                                Shortcut s, bool proj_bn_)
    : conv1(c_in, c_out, 3, rng, stride, 1, Init::he_normal),
      conv2(c_out, c_out, 3, rng, 1, 1, Init::he_normal),
      bn1(c_out),
      bn2(c_out),
      shortcut(s),
      proj_batchnorm(proj_bn_) {
  const bool same = c_in == c_out && stride == 1;
  if (s == Shortcut::automatic) shortcut = same ? Shortcut::identity : Shortcut::projection;
  if (shortcut == Shortcut::identity && !same)
    throw ValueError("ResidualBlock: an identity shortcut needs C_in == C_out and stride 1, got " +
                     std::to_string(c_in) + " -> " + std::to_string(c_out) + ", stride " +
                     std::to_string(stride));
  if (shortcut == Shortcut::projection) {
    proj = Conv2D<T>(c_in, c_out, 1, rng, stride, 0, Init::he_normal);
    if (proj_batchnorm) proj_bn = BatchNorm2d<T>(c_out);
  }
}

template <class T>
Tensor4<T> ResidualBlock<T>::forward(const Tensor4<T>& x, Cache& cache, const Context& ctx) {
  if (x.shape(1) != c_in())
    throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) +
                     " but expected (N, " + std::to_string(c_in()) + ", H, W)");
  //! [residual_forward]
  cache.a1 = bn1.forward(conv1.forward(x, cache.c1), cache.b1, ctx);  // BN_1(W_1 * x)
  relu_inplace(cache.a1);                                              // a_1 = relu(.)
  Tensor4<T> z = bn2.forward(conv2.forward(cache.a1, cache.c2), cache.b2, ctx);  // F(x)
  if (shortcut == Shortcut::identity) {
    add_into(z, x);                                                    // z = F(x) + x
  } else if (shortcut == Shortcut::projection) {
    Tensor4<T> s = proj.forward(x, cache.cp);                          // W_s * x
    if (proj_batchnorm) s = proj_bn.forward(s, cache.bp, ctx);         // BN_s(W_s * x)
    add_into(z, s);                                                    // z = F(x) + S(x)
  }
  relu_inplace(z);                                                     // y = relu(z)
  //! [residual_forward]
  cache.y = z;
  return z;
}

template <class T>
Tensor4<T> ResidualBlock<T>::backward(const Tensor4<T>& dy, const Cache& cache) {
  check_same_shape(describe(), "gradient dY", dy, "the output Y", cache.y);
  conv1.input_grad = input_grad;
  proj.input_grad = input_grad;
  //! [residual_backward]
  Tensor4<T> dz = dy;
  relu_mask(dz, cache.y);                                        // dz = dy [y > 0]
  Tensor4<T> da1 = conv2.backward(bn2.backward(dz, cache.b2), cache.c2);  // back through BN_2, W_2
  relu_mask(da1, cache.a1);                                      // through the first ReLU
  Tensor4<T> dx = conv1.backward(bn1.backward(da1, cache.b1), cache.c1);  // dF/dx^T dz
  if (!input_grad) {
    if (shortcut == Shortcut::projection)                        // the projection's weights
      proj.backward(proj_batchnorm ? proj_bn.backward(dz, cache.bp) : dz, cache.cp);  // still learn
    return dx;
  }
  if (shortcut == Shortcut::identity) {
    add_into(dx, dz);                                            // + dz: the identity's share
  } else if (shortcut == Shortcut::projection) {
    add_into(dx, proj.backward(proj_batchnorm ? proj_bn.backward(dz, cache.bp) : dz, cache.cp));
  }
  //! [residual_backward]
  return dx;
}

template <class T>
std::vector<ParamRef<T>> ResidualBlock<T>::params() {
  std::vector<ParamRef<T>> all;
  prefixed(all, "conv1", conv1.params());
  prefixed(all, "bn1", bn1.params());
  prefixed(all, "conv2", conv2.params());
  prefixed(all, "bn2", bn2.params());
  if (shortcut == Shortcut::projection) {
    prefixed(all, "proj", proj.params());
    if (proj_batchnorm) prefixed(all, "proj_bn", proj_bn.params());
  }
  return all;
}

template <class T>
std::vector<ParamRef<T>> ResidualBlock<T>::buffers() {
  std::vector<ParamRef<T>> all;
  prefixed(all, "bn1", bn1.buffers());
  prefixed(all, "bn2", bn2.buffers());
  if (shortcut == Shortcut::projection && proj_batchnorm) prefixed(all, "proj_bn", proj_bn.buffers());
  return all;
}

template <class T>
std::string ResidualBlock<T>::describe() const {
  const char* kind = shortcut == Shortcut::identity     ? "identity"
                     : shortcut == Shortcut::projection ? (proj_batchnorm ? "projection" : "projection without BN")
                                                        : "no shortcut";
  return std::string(shortcut == Shortcut::none ? "PlainBlock(" : "ResidualBlock(") +
         std::to_string(c_in()) + " -> " + std::to_string(c_out()) + ", stride " +
         std::to_string(stride()) + ", " + kind + ")";
}

template struct ResidualBlock<float>;
template struct ResidualBlock<double>;

}  // namespace dl
