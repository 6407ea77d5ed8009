#include "dlcore/core/packed_gemm.hpp"

#include <algorithm>
#include <vector>

#include <xsimd/xsimd.hpp>

namespace dl {

namespace {

using batch = xsimd::batch<float>;
using aligned_floats = std::vector<float, xsimd::aligned_allocator<float>>;
constexpr std::size_t kW = batch::size;              // floats per vector register
constexpr std::size_t kNR = 2 * kW;                  // micro-tile columns: two registers
constexpr std::size_t kMR = kW >= 16 ? 8 : 6;        // rows: 16 accumulators of 32, 12 of 16
constexpr std::size_t kMC = 96, kKC = 384, kNC = 2048;  // cache blocks (kMC a multiple of kMR)
constexpr std::size_t kDirectRows = 64;  // read an operand in place when C has at most this many rows (cols)

// Rows [i0, i0 + m) x terms [k0, k0 + kc) of a matrix X into panels of W rows, term-major:
// out[(p kc + k) W + r] = X[i0 + p W + r, k0 + k], zero past row m. X's rows are contiguous
// along the terms (`rows_contiguous`: X[i, k] at X + i ld + k) or strided (X + k ld + i).
// A's panels are op(A)'s rows (W = kMR); B's are op(B)^T's rows, its columns (W = kNR).
template <std::size_t W>
void pack_panels(bool rows_contiguous, const float* X, std::size_t ld, std::size_t i0,
                 std::size_t m, std::size_t k0, std::size_t kc, float* out) {
  for (std::size_t p = 0; p * W < m; ++p) {
    float* panel = out + p * kc * W;
    const std::size_t rows = std::min(W, m - p * W);
    if (rows_contiguous) {
      for (std::size_t r = 0; r < rows; ++r) {
        const float* x = X + (i0 + p * W + r) * ld + k0;
        for (std::size_t k = 0; k < kc; ++k) panel[k * W + r] = x[k];
      }
    } else {  // term k's values of the panel's rows are contiguous
      for (std::size_t k = 0; k < kc; ++k) {
        const float* x = X + (k0 + k) * ld + i0 + p * W;
        for (std::size_t r = 0; r < rows; ++r) panel[k * W + r] = x[r];
      }
    }
    if (rows < W)  // the last panel's missing rows are zeros
      for (std::size_t k = 0; k < kc; ++k) std::fill(panel + k * W + rows, panel + (k + 1) * W, 0.0f);
  }
}

// Rows [i0, i0 + mc) x terms [k0, k0 + kc) of op(A) into panels of kMR rows.
void pack_A(Op op, const float* A, std::size_t lda, std::size_t i0, std::size_t mc,
            std::size_t k0, std::size_t kc, float* Ap) {
  pack_panels<kMR>(op == Op::N, A, lda, i0, mc, k0, kc, Ap);
}

// Terms [k0, k0 + kc) x columns [j0, j0 + nc) of op(B) into panels of kNR columns:
// Bp[(q kc + k) kNR + c] = op(B)[k0 + k, j0 + q kNR + c], zero past column nc.
void pack_B(Op op, const float* B, std::size_t ldb, std::size_t k0, std::size_t kc,
            std::size_t j0, std::size_t nc, float* Bp) {
  pack_panels<kNR>(op == Op::T, B, ldb, j0, nc, k0, kc, Bp);
}

// C[0:mr, 0:nr] += alpha A_panel B_panel over kc terms: kMR x 2 accumulators in registers;
// per term, two loads of B, kMR broadcasts of A and 2 kMR FMAs. Each operand is either
// packed (A: Ap[k kMR + r]; B: Bp[k kNR + c], aligned) or read in place (kDirectA: row r at
// A + r lda, rows past mr repeat row 0 and are discarded; kDirectB: row k at B + k ldb,
// full panels only), which saves copying an operand that few micro-tiles reuse.
template <bool kDirectA, bool kDirectB>
void micro_kernel(std::size_t kc, const float* __restrict A, std::size_t lda,
                  const float* __restrict B, std::size_t ldb, float alpha, float* C,
                  std::size_t ldc, std::size_t mr, std::size_t nr, bool overwrite,
                  const std::size_t* row = nullptr) {  // kDirectA: row r at A + row[r], if given
  batch acc[kMR][2];
  const float* arow[kMR];
  if constexpr (kDirectA)
    for (std::size_t r = 0; r < kMR; ++r) {
      const std::size_t i = r < mr ? r : 0;
      arow[r] = A + (row ? row[i] : i * lda);
    }
#pragma GCC unroll 8
  for (std::size_t r = 0; r < kMR; ++r) acc[r][0] = acc[r][1] = batch(0.0f);
  for (std::size_t k = 0; k < kc; ++k) {
    batch b0, b1;
    if constexpr (kDirectB) {
      b0 = batch::load_unaligned(B + k * ldb);
      b1 = batch::load_unaligned(B + k * ldb + kW);
    } else {
      b0 = batch::load_aligned(B + k * kNR);
      b1 = batch::load_aligned(B + k * kNR + kW);
    }
#pragma GCC unroll 8
    for (std::size_t r = 0; r < kMR; ++r) {
      const batch a(kDirectA ? arow[r][k] : A[k * kMR + r]);
      acc[r][0] = xsimd::fma(a, b0, acc[r][0]);
      acc[r][1] = xsimd::fma(a, b1, acc[r][1]);
    }
  }
  const batch al(alpha);
  if (mr == kMR && nr == kNR) {
#pragma GCC unroll 8
    for (std::size_t r = 0; r < kMR; ++r) {
      float* c = C + r * ldc;
      if (overwrite) {  // C = alpha acc: the first block of terms when beta is 0
        (al * acc[r][0]).store_unaligned(c);
        (al * acc[r][1]).store_unaligned(c + kW);
      } else {
        xsimd::fma(al, acc[r][0], batch::load_unaligned(c)).store_unaligned(c);
        xsimd::fma(al, acc[r][1], batch::load_unaligned(c + kW)).store_unaligned(c + kW);
      }
    }
    return;
  }
  alignas(64) float tile[kMR * kNR];  // an edge tile: only [0, mr) x [0, nr) belongs to C
  for (std::size_t r = 0; r < kMR; ++r) {
    (al * acc[r][0]).store_aligned(tile + r * kNR);
    (al * acc[r][1]).store_aligned(tile + r * kNR + kW);
  }
  for (std::size_t r = 0; r < mr; ++r)
    for (std::size_t c = 0; c < nr; ++c) C[r * ldc + c] = (overwrite ? 0.0f : C[r * ldc + c]) + tile[r * kNR + c];
}

// C[i, j] += alpha sum_k A[i, k] B[j, k] for i < M, j < N, both operands contiguous along k
// (op(A) = A, op(B) = B^T): 4 x 4 dot products at a time, each a vector of partial sums
// over k reduced at the end. For products with few rows or columns of C and a long sum (a
// convolution's dW with one input channel, or LeNet-5's), where a 8 x 32 tile of C would be
// mostly padding.
void dot_nt(std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A,
            std::size_t lda, const float* B, std::size_t ldb, float* C, std::size_t ldc) {
  constexpr std::size_t kR = 4;
  const std::size_t K_vec = K / kW * kW;
  for (std::size_t i0 = 0; i0 < M; i0 += kR)
    for (std::size_t j0 = 0; j0 < N; j0 += kR) {
      const std::size_t mi = std::min(kR, M - i0), nj = std::min(kR, N - j0);
      const float* a[kR];
      const float* b[kR];
      for (std::size_t r = 0; r < kR; ++r) {  // rows past the edge repeat the first (discarded)
        a[r] = A + (i0 + (r < mi ? r : 0)) * lda;
        b[r] = B + (j0 + (r < nj ? r : 0)) * ldb;
      }
      batch acc[kR][kR];
#pragma GCC unroll 4
      for (std::size_t r = 0; r < kR; ++r)
#pragma GCC unroll 4
        for (std::size_t c = 0; c < kR; ++c) acc[r][c] = batch(0.0f);
      for (std::size_t k = 0; k < K_vec; k += kW) {
        batch av[kR], bv[kR];
#pragma GCC unroll 4
        for (std::size_t r = 0; r < kR; ++r) av[r] = batch::load_unaligned(a[r] + k), bv[r] = batch::load_unaligned(b[r] + k);
#pragma GCC unroll 4
        for (std::size_t r = 0; r < kR; ++r)
#pragma GCC unroll 4
          for (std::size_t c = 0; c < kR; ++c) acc[r][c] = xsimd::fma(av[r], bv[c], acc[r][c]);
      }
      for (std::size_t r = 0; r < mi; ++r)
        for (std::size_t c = 0; c < nj; ++c) {
          float sum = xsimd::hadd(acc[r][c]);
          for (std::size_t k = K_vec; k < K; ++k) sum += a[r][k] * b[c][k];  // the last K % kW terms
          C[(i0 + r) * ldc + j0 + c] += alpha * sum;
        }
    }
}

// Splits n into the fewest blocks of at most `most`, as equal as possible: K = 576 runs as
// two blocks of 288 rather than 384 + 192.
std::size_t block_of(std::size_t n, std::size_t most) {
  const std::size_t blocks = (n + most - 1) / most;
  return (n + blocks - 1) / blocks;
}

}  // namespace

std::size_t packed_sgemm_mr() { return kMR; }
std::size_t packed_sgemm_nr() { return kNR; }

void packed_sgemm(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, float alpha,
                  const float* A, std::size_t lda, const float* B, std::size_t ldb, float beta,
                  float* C, std::size_t ldc) {
  if (M == 0 || N == 0) return;
  const bool dot = opA == Op::N && opB == Op::T && (M < 2 * kMR || N < kNR / 2);  // tiles mostly padding
  // beta = 0 with one block of terms (a convolution's short sums over channels): the
  // micro-kernel stores C instead of adding to it, and C is neither cleared nor read
  const bool overwrite = beta == 0.0f && !dot && K > 0 && K <= kKC && alpha != 0.0f;
  if (beta != 1.0f && !overwrite)
    for (std::size_t i = 0; i < M; ++i) {
      float* c = C + i * ldc;
      if (beta == 0.0f)
        std::fill(c, c + N, 0.0f);  // C is not read: it may hold NaN
      else
        for (std::size_t j = 0; j < N; ++j) c[j] *= beta;
    }
  if (K == 0 || alpha == 0.0f) return;
  if (dot) {
    dot_nt(M, N, K, alpha, A, lda, B, ldb, C, ldc);
    return;
  }
  // An operand is read in place when few micro-tiles share it: B (K x N) is reused by the
  // M / kMR row panels of C, A by the N / kNR column panels. A convolution's column matrix is
  // such an operand (C_out rows of C in the forward pass; C_out columns in dW^T).
  const bool directB = opB == Op::N && M <= kDirectRows;
  const bool directA = !directB && opA == Op::N && N <= kDirectRows;
  const std::size_t KC = block_of(K, kKC), MC = std::min(kMC, (M + kMR - 1) / kMR * kMR);
  const std::size_t NC = std::min(kNC, (N + kNR - 1) / kNR * kNR);
  thread_local aligned_floats Ap, Bp;  // packed panels, reused between calls
  if (Ap.size() < MC * KC) Ap.resize(MC * KC);
  if (Bp.size() < KC * NC) Bp.resize(KC * NC);
  for (std::size_t j0 = 0; j0 < N; j0 += NC) {
    const std::size_t nc = std::min(NC, N - j0);
    for (std::size_t k0 = 0; k0 < K; k0 += KC) {
      const std::size_t kc = std::min(KC, K - k0);
      if (!directB)
        pack_B(opB, B, ldb, k0, kc, j0, nc, Bp.data());
      else if (nc % kNR != 0)  // the last, partial panel is packed (no reads past B's rows)
        pack_B(opB, B, ldb, k0, kc, j0 + nc / kNR * kNR, nc % kNR, Bp.data());
      for (std::size_t i0 = 0; i0 < M; i0 += MC) {
        const std::size_t mc = std::min(MC, M - i0);
        if (!directA) pack_A(opA, A, lda, i0, mc, k0, kc, Ap.data());
        for (std::size_t jr = 0; jr < nc; jr += kNR) {
          const std::size_t nr = std::min(kNR, nc - jr);
          const bool inplaceB = directB && nr == kNR;
          const float* b = inplaceB ? B + k0 * ldb + j0 + jr : Bp.data() + (directB ? 0 : jr * kc);
          for (std::size_t ir = 0; ir < mc; ir += kMR) {
            const std::size_t mr = std::min(kMR, mc - ir);
            float* c = C + (i0 + ir) * ldc + j0 + jr;
            if (directA)
              micro_kernel<true, false>(kc, A + (i0 + ir) * lda + k0, lda, b, 0, alpha, c, ldc, mr, nr, overwrite);
            else if (inplaceB)
              micro_kernel<false, true>(kc, Ap.data() + ir * kc, 0, b, ldb, alpha, c, ldc, mr, nr, overwrite);
            else
              micro_kernel<false, false>(kc, Ap.data() + ir * kc, 0, b, 0, alpha, c, ldc, mr, nr, overwrite);
          }
        }
      }
    }
  }
}

void packed_sgemm_rows(std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A,
                       const std::size_t* row, const float* B, std::size_t ldb, float* C,
                       std::size_t ldc) {
  if (M == 0 || N == 0 || K == 0 || alpha == 0.0f) return;
  const std::size_t KC = block_of(K, kKC), NC = std::min(kNC, (N + kNR - 1) / kNR * kNR);
  thread_local aligned_floats Bp;
  if (Bp.size() < KC * NC) Bp.resize(KC * NC);
  for (std::size_t j0 = 0; j0 < N; j0 += NC) {
    const std::size_t nc = std::min(NC, N - j0);
    for (std::size_t k0 = 0; k0 < K; k0 += KC) {
      const std::size_t kc = std::min(KC, K - k0);
      pack_B(Op::T, B, ldb, k0, kc, j0, nc, Bp.data());
      for (std::size_t jr = 0; jr < nc; jr += kNR) {  // each panel of B against every row of A
        const std::size_t nr = std::min(kNR, nc - jr);
        for (std::size_t ir = 0; ir < M; ir += kMR)
          micro_kernel<true, false>(kc, A + k0, 0, Bp.data() + jr * kc, 0, alpha,
                                    C + ir * ldc + j0 + jr, ldc, std::min(kMR, M - ir), nr,
                                    false, row + ir);
      }
    }
  }
}

}  // namespace dl
