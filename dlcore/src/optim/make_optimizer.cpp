#include "dlcore/optim/make_optimizer.hpp"

#include "dlcore/core/error.hpp"
#include "dlcore/optim/adagrad.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/rmsprop.hpp"
#include "dlcore/optim/sgd.hpp"

namespace dl {

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd",     "momentum", "nesterov", "adagrad",
                                                 "rmsprop", "adam",     "adamw"};
  return names;
}

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, T lr, std::optional<T> decay) {
  const T wd = decay.value_or(T(0));
  if (name == "sgd") return std::make_unique<SGD<T>>(lr, T(0), false, wd);
  if (name == "momentum") return std::make_unique<SGD<T>>(lr, T(0.9), false, wd);
  if (name == "nesterov") return std::make_unique<SGD<T>>(lr, T(0.9), true, wd);
  if (name == "adagrad") return std::make_unique<Adagrad<T>>(lr, T(1e-10), wd);
  if (name == "rmsprop") return std::make_unique<RMSprop<T>>(lr, T(0.99), T(1e-8), wd);
  if (name == "adam") return std::make_unique<Adam<T>>(lr, T(0.9), T(0.999), T(1e-8), wd);
  if (name == "adamw") return std::make_unique<AdamW<T>>(lr, T(0.9), T(0.999), T(1e-8), decay.value_or(T(0.01)));
  std::string valid;
  for (const auto& n : optimizer_names()) valid += (valid.empty() ? "" : ", ") + n;
  throw ValueError("make_optimizer: unknown optimizer '" + name + "' (valid: " + valid + ")");
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string&, float, std::optional<float>);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string&, double, std::optional<double>);

}  // namespace dl
