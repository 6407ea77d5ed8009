// Optimizers by name: each name gives the optimizer Chapter 6 describes.
#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/make_optimizer.hpp"
#include "dlcore/optim/sgd.hpp"

using namespace dl;

TEST_CASE("make_optimizer builds each optimizer by name", "[optim][make_optimizer]") {
  CHECK(make_optimizer<double>("sgd", 0.1)->describe() == "SGD(lr=0.1)");
  CHECK(make_optimizer<double>("momentum", 0.1)->describe() == "SGD(lr=0.1, momentum=0.9)");
  CHECK(make_optimizer<double>("nesterov", 0.1)->describe() == "SGD(lr=0.1, nesterov momentum=0.9)");
  CHECK(make_optimizer<float>("adagrad", 0.5f)->describe() == "Adagrad(lr=0.5)");
  CHECK(make_optimizer<float>("rmsprop", 0.01f)->describe() == "RMSprop(lr=0.01, rho=0.99)");
  CHECK(make_optimizer<double>("adam", 0.001)->describe() == "Adam(lr=0.001, betas=(0.9, 0.999))");
  const auto adamw = make_optimizer<double>("adamw", 0.001, 0.05);
  CHECK(adamw->describe() == "AdamW(lr=0.001, weight_decay=0.05)");
  REQUIRE(dynamic_cast<AdamW<double>*>(adamw.get()) != nullptr);
  const auto sgd = make_optimizer<double>("sgd", 0.1, 0.01);
  CHECK(dynamic_cast<SGD<double>&>(*sgd).weight_decay == 0.01);
  CHECK(make_optimizer<double>("adamw", 0.001)->describe() == "AdamW(lr=0.001, weight_decay=0.01)");  // PyTorch's default
  CHECK(dynamic_cast<Adam<double>&>(*make_optimizer<double>("adam", 0.001)).weight_decay == 0);
  CHECK(optimizer_names().size() == 7);
  for (const auto& name : optimizer_names()) CHECK(make_optimizer<double>(name, 0.1) != nullptr);
}

TEST_CASE("make_optimizer rejects unknown names, listing the valid ones", "[optim][make_optimizer][errors]") {
  REQUIRE_THROWS_AS(make_optimizer<double>("adadelta", 0.1), ValueError);
  REQUIRE_THROWS_WITH(make_optimizer<double>("adadelta", 0.1),
                      Catch::Contains("adadelta") && Catch::Contains("rmsprop") && Catch::Contains("adamw"));
  REQUIRE_THROWS_AS(make_optimizer<double>("sgd", -1.0), ValueError);
}
