// Chapter 24: the matrix-product ladder, from a textbook triple loop to OpenBLAS.
// C (M, N) = A (M, K) B (K, N), row-major floats. Text: docs/ch24_performance.md
#include <time.h>

#include <algorithm>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <dlcore/core/error.hpp>
#include <dlcore/core/gemm.hpp>
#include <dlcore/core/parallel.hpp>
#include <dlcore/core/rng.hpp>

#include "perf.hpp"

namespace ch24 {

std::string kernel_name(Kernel k) {
  switch (k) {
    case Kernel::naive: return "naive i-j-k";
    case Kernel::ikj: return "loop order i-k-j";
    case Kernel::blocked: return "blocked i-k-j";
    case Kernel::simd: return "packed + xsimd";
    case Kernel::openblas: return "OpenBLAS sgemm";
  }
  return "?";
}

std::string kernel_key(Kernel k) {
  switch (k) {
    case Kernel::naive: return "naive";
    case Kernel::ikj: return "ikj";
    case Kernel::blocked: return "blocked";
    case Kernel::simd: return "simd";
    case Kernel::openblas: return "openblas";
  }
  return "?";
}

//! [naive]
void matmul_naive(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                  std::size_t K) {
  for (std::size_t i = 0; i < M; ++i)
    for (std::size_t j = 0; j < N; ++j) {
      float s = 0;
      for (std::size_t k = 0; k < K; ++k) s += A[i * K + k] * B[k * N + j];  // B: stride N
      C[i * N + j] = s;
    }
}
//! [naive]

//! [ikj]
void matmul_ikj(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                std::size_t K) {
  std::fill(C, C + M * N, 0.0f);
  for (std::size_t i = 0; i < M; ++i)
    for (std::size_t k = 0; k < K; ++k) {
      const float a = A[i * K + k];
      const float* __restrict b = B + k * N;  // row k of B
      float* __restrict c = C + i * N;        // row i of C
      for (std::size_t j = 0; j < N; ++j) c[j] += a * b[j];  // C[i,:] += A[i,k] B[k,:]
    }
}
//! [ikj]

//! [blocked]
void matmul_blocked(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                    std::size_t K) {
  std::fill(C, C + M * N, 0.0f);
  for (std::size_t i0 = 0; i0 < M; i0 += kBlockM)
    for (std::size_t k0 = 0; k0 < K; k0 += kBlockK)
      for (std::size_t j0 = 0; j0 < N; j0 += kBlockN) {
        // tile: rows [i0, i1) of C, terms [k0, k1), columns [j0, j1); the (k, j) tile of B
        // (128 x 512 floats, 256 KB) stays in L2 while 64 rows of A use it
        const std::size_t i1 = std::min(i0 + kBlockM, M), k1 = std::min(k0 + kBlockK, K),
                          j1 = std::min(j0 + kBlockN, N);
        for (std::size_t i = i0; i < i1; ++i)
          for (std::size_t k = k0; k < k1; ++k) {
            const float a = A[i * K + k];
            const float* __restrict b = B + k * N;
            float* __restrict c = C + i * N;
            for (std::size_t j = j0; j < j1; ++j) c[j] += a * b[j];
          }
      }
}
//! [blocked]

namespace {

using batch = xsimd::batch<float>;
using aligned_floats = std::vector<float, xsimd::aligned_allocator<float>>;
constexpr std::size_t kW = batch::size;   // floats per register
constexpr std::size_t kMR = 6, kNR = 2 * kW;  // the micro-tile of C held in 12 registers
constexpr std::size_t kMC = 120, kKC = 256, kNC = 2048;  // cache blocks (kMC a multiple of kMR)

// Copy rows [i0, i0 + mc) x terms [k0, k0 + kc) of A into panels of kMR rows, each panel
// term-major: Ap[p kc kMR + k kMR + r] = A[i0 + p kMR + r, k0 + k] (0 past the last row).
void pack_A(const float* A, std::size_t K, std::size_t M, std::size_t i0, std::size_t mc,
            std::size_t k0, std::size_t kc, float* Ap) {
  for (std::size_t p = 0; p * kMR < mc; ++p)
    for (std::size_t k = 0; k < kc; ++k)
      for (std::size_t r = 0; r < kMR; ++r) {
        const std::size_t i = i0 + p * kMR + r;
        Ap[(p * kc + k) * kMR + r] = (i < M && p * kMR + r < mc) ? A[i * K + k0 + k] : 0.0f;
      }
}

// Copy terms [k0, k0 + kc) x columns [j0, j0 + nc) of B into panels of kNR columns:
// Bp[q kc kNR + k kNR + c] = B[k0 + k, j0 + q kNR + c] (0 past the last column).
void pack_B(const float* B, std::size_t N, std::size_t k0, std::size_t kc, std::size_t j0,
            std::size_t nc, float* Bp) {
  for (std::size_t q = 0; q * kNR < nc; ++q)
    for (std::size_t k = 0; k < kc; ++k) {
      const float* b = B + (k0 + k) * N + j0 + q * kNR;
      float* out = Bp + (q * kc + k) * kNR;
      const std::size_t n = std::min(kNR, nc - q * kNR);
      std::copy(b, b + n, out);
      std::fill(out + n, out + kNR, 0.0f);
    }
}

//! [micro_kernel]
// C[0:mr, 0:nr] += Ap_panel (kc x kMR) ^T Bp_panel (kc x kNR): 12 accumulators in registers;
// per term, two loads of B, six broadcasts of A and twelve FMAs.
void micro_kernel(std::size_t kc, const float* Ap, const float* Bp, float* C, std::size_t ldc,
                  std::size_t mr, std::size_t nr) {
  batch acc[kMR][2];
  for (std::size_t r = 0; r < kMR; ++r) acc[r][0] = acc[r][1] = batch(0.0f);
  for (std::size_t k = 0; k < kc; ++k) {
    const batch b0 = batch::load_aligned(Bp + k * kNR), b1 = batch::load_aligned(Bp + k * kNR + kW);
    for (std::size_t r = 0; r < kMR; ++r) {
      const batch a(Ap[k * kMR + r]);  // broadcast A[i + r, k]
      acc[r][0] = xsimd::fma(a, b0, acc[r][0]);
      acc[r][1] = xsimd::fma(a, b1, acc[r][1]);
    }
  }
  if (mr == kMR && nr == kNR) {  // a full tile: add the registers straight into C
    for (std::size_t r = 0; r < kMR; ++r) {
      float* c = C + r * ldc;
      (batch::load_unaligned(c) + acc[r][0]).store_unaligned(c);
      (batch::load_unaligned(c + kW) + acc[r][1]).store_unaligned(c + kW);
    }
    return;
  }
  alignas(64) float tile[kMR * kNR];  // an edge tile: only its [0, mr) x [0, nr) part is C's
  for (std::size_t r = 0; r < kMR; ++r) {
    acc[r][0].store_aligned(tile + r * kNR);
    acc[r][1].store_aligned(tile + r * kNR + kW);
  }
  for (std::size_t r = 0; r < mr; ++r)
    for (std::size_t c = 0; c < nr; ++c) C[r * ldc + c] += tile[r * kNR + c];
}
//! [micro_kernel]

}  // namespace

std::size_t simd_width() { return kW; }

//! [simd]
void matmul_simd(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                 std::size_t K) {
  std::fill(C, C + M * N, 0.0f);
  thread_local aligned_floats Ap, Bp;  // packed panels, reused between calls
  Ap.resize(kMC * kKC);
  Bp.resize(kKC * kNC);
  for (std::size_t j0 = 0; j0 < N; j0 += kNC) {
    const std::size_t nc = std::min(kNC, N - j0);
    for (std::size_t k0 = 0; k0 < K; k0 += kKC) {
      const std::size_t kc = std::min(kKC, K - k0);
      pack_B(B, N, k0, kc, j0, nc, Bp.data());  // kc x nc of B: L2/L3-resident
      for (std::size_t i0 = 0; i0 < M; i0 += kMC) {
        const std::size_t mc = std::min(kMC, M - i0);
        pack_A(A, K, M, i0, mc, k0, kc, Ap.data());  // mc x kc of A: L2-resident
        for (std::size_t jr = 0; jr < nc; jr += kNR)
          for (std::size_t ir = 0; ir < mc; ir += kMR)
            micro_kernel(kc, Ap.data() + ir * kc, Bp.data() + jr * kc,
                         C + (i0 + ir) * N + j0 + jr, N, std::min(kMR, mc - ir),
                         std::min(kNR, nc - jr));
      }
    }
  }
}
//! [simd]

void matmul_openblas(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                     std::size_t K) {
  if (M == 0 || N == 0) return;
  if (K == 0) {
    std::fill(C, C + M * N, 0.0f);
    return;
  }
  dl::gemm<float>(dl::Op::N, dl::Op::N, M, N, K, 1.0f, A, K, B, N, 0.0f, C, N);
}

void matmul(Kernel k, const float* A, const float* B, float* C, std::size_t M, std::size_t N,
            std::size_t K, int threads) {
  if (threads < 1) throw dl::ValueError("ch24::matmul: threads must be >= 1, got " + std::to_string(threads));
  if (k == Kernel::openblas) {
    const int before = dl::num_threads();
    dl::set_num_threads(threads);
    matmul_openblas(A, B, C, M, N, K);
    dl::set_num_threads(before);
    return;
  }
  auto run = [&](const float* a, float* c, std::size_t m) {
    switch (k) {
      case Kernel::naive: matmul_naive(a, B, c, m, N, K); break;
      case Kernel::ikj: matmul_ikj(a, B, c, m, N, K); break;
      case Kernel::blocked: matmul_blocked(a, B, c, m, N, K); break;
      default: matmul_simd(a, B, c, m, N, K); break;
    }
  };
  if (threads == 1 || M < 2) {
    run(A, C, M);
    return;
  }
  // rows of C in `threads` contiguous blocks; each thread computes its own rows
  dl::parallel_for(M, [&](std::size_t begin, std::size_t end, std::size_t) {
    run(A + begin * K, C + begin * N, end - begin);
  }, std::size_t(threads));
}

Timer::Timer(bool thread_cpu_time) : cpu_(thread_cpu_time), start_(now()) {}
double Timer::seconds() const { return now() - start_; }
double Timer::now() const {
  timespec ts{};
  clock_gettime(cpu_ ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double time_matmul(Kernel k, std::size_t n, double seconds, int threads, bool wall) {
  dl::Rng rng(7);
  std::vector<float> A(n * n), B(n * n), C(n * n);
  for (auto& v : A) v = float(rng.uniform(-1, 1));
  for (auto& v : B) v = float(rng.uniform(-1, 1));
  matmul(k, A.data(), B.data(), C.data(), n, n, n, threads);  // warm-up: caches, pages, threads
  double best = 1e300, total = 0;
  for (int rep = 0; rep < 2 || total < seconds; ++rep) {
    const Timer sw(threads == 1 && !wall);
    matmul(k, A.data(), B.data(), C.data(), n, n, n, threads);
    const double t = sw.seconds();
    best = std::min(best, t);
    total += t;
  }
  return matmul_flops(n, n, n) / best / 1e9;
}

}  // namespace ch24
