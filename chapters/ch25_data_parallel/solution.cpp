// Exercise 25.1, reference solution: the gradient all-reduce of data-parallel SGD.
#include <algorithm>
#include <climits>
#include <string>

#include <dlcore/core/error.hpp>

#include "exercise.hpp"

namespace ch25 {

void average_gradients(const std::vector<dl::ParamRef<float>>& params, std::size_t global_batch,
                       MPI_Comm comm, std::vector<float>& buffer) {
  if (global_batch == 0) throw dl::ValueError("average_gradients: the global batch is empty");
  const std::size_t n = dl::count_params(params);
  if (n > std::size_t(INT_MAX))
    throw dl::ValueError("average_gradients: " + std::to_string(n) +
                         " gradients do not fit one MPI message (at most INT_MAX)");
  //! [average_gradients]
  buffer.resize(n);
  std::size_t k = 0;  // pack: every gradient, one after the other
  for (const auto& p : params) k = std::copy(p.grad, p.grad + p.size(), buffer.begin() + k) - buffer.begin();
  // g = sum over ranks of g_r, the same on every rank: one all-reduce, in place
  MPI_Allreduce(MPI_IN_PLACE, buffer.data(), int(n), MPI_FLOAT, MPI_SUM, comm);
  const float scale = 1.0f / float(global_batch);  // then g / B
  k = 0;
  for (const auto& p : params)
    for (std::size_t i = 0; i < p.size(); ++i) p.grad[i] = buffer[k++] * scale;
  //! [average_gradients]
}

}  // namespace ch25
