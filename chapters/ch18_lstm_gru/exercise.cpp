// Exercise 18.1: one LSTM step backward. Replace the body; the statement is in exercise.hpp.
#include "exercise.hpp"

#include <algorithm>

namespace ch18 {

void lstm_step_backward(const std::vector<double>& gates, const std::vector<double>& c_prev,
                        const std::vector<double>& tanh_c, const std::vector<double>& dh,
                        const std::vector<double>& dc_next, std::vector<double>& da,
                        std::vector<double>& dc_prev) {
  // TODO: the total gradient of c_t, then the four gates' pre-activations, then c_{t-1}.
  std::fill(da.begin(), da.end(), 0.0);
  std::fill(dc_prev.begin(), dc_prev.end(), 0.0);
}

}  // namespace ch18
