#pragma once
/// \file
/// Chapter 25 exercise: the gradient average of synchronous data-parallel SGD.
/// Statement: @ref ch25_data_parallel "Chapter 25, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch25_data_parallel_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <mpi.h>

#include <cstddef>
#include <vector>

#include <dlcore/core/param.hpp>

namespace ch25 {

/// Average the gradients of `params` over the ranks of `comm`, in place.
///
/// On entry, on every rank, each `p.grad` holds the SUM over the examples of that rank's
/// shard of the global batch of their per-example gradients (zeros for an empty shard).
/// On return, on every rank, each `p.grad` holds the average over the whole global batch:
/// \f$ g = \frac{1}{B} \sum_{r} g_r \f$ with B = `global_batch`, the same bits on every rank.
/// One MPI_Allreduce (MPI_SUM) of all gradients packed into `buffer` (resized as needed,
/// kept by the caller so that no step allocates), then the scale by 1/B.
void average_gradients(const std::vector<dl::ParamRef<float>>& params, std::size_t global_batch,
                       MPI_Comm comm, std::vector<float>& buffer);

}  // namespace ch25
