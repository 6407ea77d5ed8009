// Exercise 25.1: the gradient average of data-parallel SGD. Runs on however many ranks it
// is started with: 1 from ctest (MPI's singleton), 2 under `mpirun -np 2` (the chapter
// program's 2-rank test runs the same function inside the training loop).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <numeric>

#include "exercise.hpp"
#include "openmpi_lsan.hpp"  // Open MPI's allocations at exit, under LeakSanitizer

namespace {

// MPI starts with the first test that needs it and ends when the test process ends.
struct Mpi {
  int rank = 0, size = 1;
  Mpi() {
    ch25::keep_openmpi_plugins_loaded();
    MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  ~Mpi() { MPI_Finalize(); }
};
const Mpi& mpi() {
  static Mpi m;
  return m;
}

// Two parameter tensors (6 and 3 values) whose gradients rank r sets to (r + 1) * base.
struct Grads {
  std::vector<float> W = std::vector<float>(6), dW = std::vector<float>(6), b = std::vector<float>(3),
                     db = std::vector<float>(3);
  std::vector<dl::ParamRef<float>> params() {
    return {{"0.W", W.data(), dW.data(), {2, 3}}, {"0.b", b.data(), db.data(), {3}}};
  }
};
const float kBaseW[6] = {1.5f, -2.0f, 0.25f, 4.0f, -0.5f, 3.0f}, kBaseB[3] = {2.0f, -1.0f, 0.75f};

}  // namespace

TEST_CASE("Exercise 25.1: the sum of every rank's gradients, divided by the global batch", "[ch25][exercise]") {
  const Mpi& m = mpi();
  Grads g;
  for (int i = 0; i < 6; ++i) g.dW[i] = float(m.rank + 1) * kBaseW[i];
  for (int i = 0; i < 3; ++i) g.db[i] = float(m.rank + 1) * kBaseB[i];
  const std::size_t B = 4 * std::size_t(m.size);  // 4 examples per rank
  std::vector<float> buffer;
  ch25::average_gradients(g.params(), B, MPI_COMM_WORLD, buffer);
  const float ranks_sum = float(m.size * (m.size + 1) / 2);  // 1 + 2 + ... + size
  for (int i = 0; i < 6; ++i) CHECK(g.dW[i] == Approx(kBaseW[i] * ranks_sum / float(B)).epsilon(1e-6));
  for (int i = 0; i < 3; ++i) CHECK(g.db[i] == Approx(kBaseB[i] * ranks_sum / float(B)).epsilon(1e-6));
  CHECK(buffer.size() >= 9);  // the caller's buffer holds the packed gradients
}

TEST_CASE("Exercise 25.1: the scale is 1 / global batch, not 1 / ranks", "[ch25][exercise]") {
  const Mpi& m = mpi();
  Grads g;
  for (int i = 0; i < 6; ++i) g.dW[i] = 8.0f * kBaseW[i];  // every rank: a shard of 8 examples
  for (int i = 0; i < 3; ++i) g.db[i] = 8.0f * kBaseB[i];
  std::vector<float> buffer;
  ch25::average_gradients(g.params(), 8 * std::size_t(m.size), MPI_COMM_WORLD, buffer);
  for (int i = 0; i < 6; ++i) CHECK(g.dW[i] == Approx(kBaseW[i]).epsilon(1e-6));
  for (int i = 0; i < 3; ++i) CHECK(g.db[i] == Approx(kBaseB[i]).epsilon(1e-6));
}
