// Exercise 20.1, reference solution: scaled dot-product attention backward for one query.
#include "exercise.hpp"

#include <cmath>

namespace ch20 {

void attention_backward_one(const std::vector<double>& q, const std::vector<double>& K,
                            const std::vector<double>& V, const std::vector<double>& a,
                            const std::vector<double>& dout, std::vector<double>& dq,
                            std::vector<double>& dK, std::vector<double>& dV) {
  const std::size_t S = a.size(), d = q.size(), dv = dout.size();
  const double scale = 1 / std::sqrt(double(d));
  std::vector<double> da(S, 0.0), de(S);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t j = 0; j < dv; ++j) {
      dV[s * dv + j] = a[s] * dout[j];    // o = sum_s a_s v_s
      da[s] += dout[j] * V[s * dv + j];   // do/da_s = v_s
    }
  double r = 0;  // sum_s a_s da_s
  for (std::size_t s = 0; s < S; ++s) r += a[s] * da[s];
  for (std::size_t s = 0; s < S; ++s) de[s] = a[s] * (da[s] - r);  // softmax Jacobian
  for (std::size_t i = 0; i < d; ++i) dq[i] = 0;
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t i = 0; i < d; ++i) {
      dq[i] += scale * de[s] * K[s * d + i];  // e_s = q . k_s / sqrt(d)
      dK[s * d + i] = scale * de[s] * q[i];
    }
}

}  // namespace ch20
