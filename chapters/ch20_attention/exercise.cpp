// Exercise 20.1: scaled dot-product attention backward for one query. Replace the body; the
// statement is in exercise.hpp.
#include "exercise.hpp"

#include <algorithm>

namespace ch20 {

void attention_backward_one(const std::vector<double>& q, const std::vector<double>& K,
                            const std::vector<double>& V, const std::vector<double>& a,
                            const std::vector<double>& dout, std::vector<double>& dq,
                            std::vector<double>& dK, std::vector<double>& dV) {
  // TODO: dV from a and dout; da from dout and V; de through the softmax Jacobian;
  // then dq and dK from de (do not forget the 1/sqrt(d)).
  std::fill(dq.begin(), dq.end(), 0.0);
  std::fill(dK.begin(), dK.end(), 0.0);
  std::fill(dV.begin(), dV.end(), 0.0);
}

}  // namespace ch20
