// Exercise 25.1 -- your answer goes here (see exercise.hpp and docs/ch25_data_parallel.md).
#include "exercise.hpp"

namespace ch25 {

void average_gradients(const std::vector<dl::ParamRef<float>>& params, std::size_t global_batch,
                       MPI_Comm comm, std::vector<float>& buffer) {
  // TODO: pack every p.grad into buffer, sum it over the ranks with one MPI_Allreduce,
  // scale by 1 / global_batch and copy the averages back into the p.grad.
  (void)params, (void)global_batch, (void)comm, (void)buffer;
}

}  // namespace ch25
