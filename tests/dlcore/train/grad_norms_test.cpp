// grad_norm / grad_norms: the gradient reaching each parameter tensor.
#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/train/grad_norms.hpp"
#include "dlcore/train/sequential.hpp"

using namespace dl;

TEST_CASE("grad_norm is the Euclidean norm of a gradient", "[grad_norms]") {
  Tensor2<double> v = xt::zeros<double>({1, 2}), g = {{3, -4}};
  const auto p = param_ref<double>("w", v, g);
  CHECK(grad_norm(p) == Approx(5.0));
}

TEST_CASE("grad_norms picks one figure per Linear layer of a network", "[grad_norms]") {
  Rng rng(2);
  Sequential<double> net;
  net.add(Linear<double>(3, 4, rng)).add(Tanh<double>{}).add(Linear<double>(4, 2, rng));
  net.forward2(Tensor2<double>{{1, 2, 3}, {-1, 0, 1}});
  net.zero_grad();
  net.backward(Tensor2<double>{{1, -1}, {0.5, 2}});
  const auto w = grad_norms(net.params(), ".W");
  REQUIRE(w.size() == 2);
  const auto& last = net.layer<Linear<double>>(2);
  CHECK(w[1] == Approx(std::sqrt(xt::sum(last.dW * last.dW)())));
  CHECK(w[0] > 0);
  CHECK(grad_norms(net.params()).size() == 4);  // W and b of both layers
  REQUIRE_THROWS_WITH(grad_norms(net.params(), ".gamma"),
                      Catch::Contains("grad_norms") && Catch::Contains(".gamma"));
}
