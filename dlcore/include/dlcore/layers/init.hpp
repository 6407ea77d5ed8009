#pragma once
/// \file
/// Weight initialisers (Glorot & Bengio 2010; He et al. 2015). The variances are derived in
/// Chapter 9.

#include <string>

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// How a layer draws its initial weights.
enum class Init {
  xavier_uniform,  ///< \f$ U(-a, a),\ a = \sqrt{6/(n_{in}+n_{out})} \f$ (Keras' default)
  xavier_normal,   ///< \f$ N(0, 2/(n_{in}+n_{out})) \f$
  he_uniform,      ///< \f$ U(-a, a),\ a = \sqrt{6/n_{in}} \f$
  he_normal,       ///< \f$ N(0, 2/n_{in}) \f$
  lecun_uniform,   ///< \f$ U(-a, a),\ a = \sqrt{1/n_{in}} \f$ (PyTorch's Linear default)
  normal,          ///< \f$ N(0, \sigma^2) \f$ with the caller's \f$ \sigma \f$ (default 0.01)
  zeros
};

/// Parse "xavier_uniform", "he_normal", ...; throws ValueError listing the valid names.
Init parse_init(const std::string& name);
std::string to_string(Init init);

/// Fill `w` (any rank, fan_in/fan_out given by the caller) from the chosen distribution.
template <class T, std::size_t N>
void init_weights(xt::xtensor<T, N>& w, Init init, std::size_t fan_in, std::size_t fan_out,
                  Rng& rng, double sigma = 0.01);

}  // namespace dl
