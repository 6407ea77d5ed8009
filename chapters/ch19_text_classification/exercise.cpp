// Exercise 19.1: the skip-gram negative-sampling loss and its gradient for one example.
// Replace the body; the statement is in exercise.hpp.
#include "exercise.hpp"

#include <algorithm>

namespace ch19 {

double skipgram_gradient(const std::vector<double>& v, const std::vector<double>& u_o,
                         const std::vector<std::vector<double>>& u_neg, std::vector<double>& dv,
                         std::vector<double>& du_o, std::vector<std::vector<double>>& du_neg) {
  // TODO: the two scores' sigmoids, then the loss and the three gradients.
  std::fill(dv.begin(), dv.end(), 0.0);
  std::fill(du_o.begin(), du_o.end(), 0.0);
  for (auto& d : du_neg) std::fill(d.begin(), d.end(), 0.0);
  return 0.0;
}

}  // namespace ch19
