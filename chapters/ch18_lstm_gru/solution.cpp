// Exercise 18.1, reference solution: one LSTM step backward.
#include "exercise.hpp"

namespace ch18 {

void lstm_step_backward(const std::vector<double>& gates, const std::vector<double>& c_prev,
                        const std::vector<double>& tanh_c, const std::vector<double>& dh,
                        const std::vector<double>& dc_next, std::vector<double>& da,
                        std::vector<double>& dc_prev) {
  const std::size_t H = c_prev.size();
  for (std::size_t j = 0; j < H; ++j) {
    const double i = gates[j], f = gates[H + j], g = gates[2 * H + j], o = gates[3 * H + j];
    // c_t reaches L directly (from step t+1) and through h_t = o tanh(c_t)
    const double dc = dc_next[j] + dh[j] * o * (1 - tanh_c[j] * tanh_c[j]);
    da[j] = dc * g * i * (1 - i);                // c_t = f c_{t-1} + i g, i = sigma(a^i)
    da[H + j] = dc * c_prev[j] * f * (1 - f);    // f = sigma(a^f)
    da[2 * H + j] = dc * i * (1 - g * g);        // g = tanh(a^g)
    da[3 * H + j] = dh[j] * tanh_c[j] * o * (1 - o);  // h_t = o tanh(c_t), o = sigma(a^o)
    dc_prev[j] = dc * f;                         // the cell state's own path back
  }
}

}  // namespace ch18
