#pragma once
/// \file
/// Chapter 24's measuring kit: five matrix products from a naive triple loop to OpenBLAS,
/// the machine's measured peak (FMA throughput) and memory bandwidth (a STREAM-like triad),
/// direct convolution vs im2col + GEMM, the FLOP and byte counts that place a layer on the
/// roofline, and a per-layer forward/backward profile of one training step.
/// Text: @ref ch24_performance "Chapter 24". Built into the library ch24_performance_kernels
/// (at -O3, like dlcore), which the chapter program and its tests link.
///
/// Matrices are row-major float buffers: C (M, N) = A (M, K) B (K, N).

#include <cstddef>
#include <string>
#include <vector>

#include <dlcore/core/rng.hpp>
#include <dlcore/core/tensor.hpp>
#include <dlcore/train/sequential.hpp>

namespace ch24 {

// ---- Timing on a shared machine -----------------------------------------------------------

/// Seconds of one kind of clock since construction: the calling thread's CPU time for work on
/// one thread (time the thread really ran: on a machine shared with other jobs, a wall clock
/// would also count the moments the thread waited for a core), the wall clock for work
/// spread over several threads.
class Timer {
 public:
  explicit Timer(bool thread_cpu_time);
  double seconds() const;

 private:
  bool cpu_;
  double start_;
  double now() const;
};

// ---- Matrix products ------------------------------------------------------------------------

/// The rungs of the ladder, slowest first.
enum class Kernel { naive, ikj, blocked, simd, openblas };
/// All of them, in order.
inline const std::vector<Kernel> kAllKernels = {Kernel::naive, Kernel::ikj, Kernel::blocked,
                                                Kernel::simd, Kernel::openblas};
/// Short name for tables and plot legends ("naive i-j-k", "loop order i-k-j", ...).
std::string kernel_name(Kernel k);
/// Key for metrics.json ("naive", "ikj", "blocked", "simd", "openblas").
std::string kernel_key(Kernel k);

/// i-j-k: one dot product per element of C; the inner loop walks down a column of B.
void matmul_naive(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                  std::size_t K);
/// i-k-j: the inner loop adds a multiple of a row of B to a row of C (unit stride both).
void matmul_ikj(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                std::size_t K);
/// i-k-j over tiles of (kBlockM, kBlockK, kBlockN): a tile of B stays in cache while it is
/// reused by kBlockM rows of A.
void matmul_blocked(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                    std::size_t K);
/// Packed panels + a register-blocked xsimd micro-kernel (kMR rows x kNR columns of C held
/// in vector registers; kNR = 2 SIMD widths), cache-blocked by (kMC, kKC, kNC).
void matmul_simd(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                 std::size_t K);
/// OpenBLAS sgemm through dl::gemm (its threads: dl::set_num_threads).
void matmul_openblas(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                     std::size_t K);
/// Dispatch on `k`. `threads` > 1 cuts the rows of C into that many blocks, one thread each,
/// for the hand-written kernels; for OpenBLAS it sets the BLAS thread count for the call.
void matmul(Kernel k, const float* A, const float* B, float* C, std::size_t M, std::size_t N,
            std::size_t K, int threads = 1);

constexpr std::size_t kBlockM = 64, kBlockK = 128, kBlockN = 512;  ///< matmul_blocked's tiles
/// Floats per xsimd register on this build (16 with AVX-512, 8 with AVX2).
std::size_t simd_width();

/// FLOPs of an (M, N, K) product: 2 M N K (one multiply and one add per term).
inline double matmul_flops(std::size_t M, std::size_t N, std::size_t K) {
  return 2.0 * double(M) * double(N) * double(K);
}

/// Best GFLOP/s of kernel `k` on (n, n, n) over repeats lasting about `seconds` in all
/// (at least 2 runs after a warm-up); timed by Timer (CPU time on one thread).
/// With `wall`, always the wall clock (to compare 1 thread with several on the same clock).
double time_matmul(Kernel k, std::size_t n, double seconds, int threads = 1, bool wall = false);

// ---- The machine ----------------------------------------------------------------------------

/// Peak floating-point throughput measured by independent FMA chains held in registers.
struct Peak {
  int threads = 1;
  double gflops = 0;          ///< all threads together
  double flops_per_cycle = 0; ///< per core, assumed from the ISA: 2 FMA pipes x width x 2
  double clock_ghz = 0;       ///< implied: gflops / threads / flops_per_cycle
};
/// Run kChains independent FMA chains of simd_width() floats on `threads` threads at once, in
/// short windows that all threads start and end together, for about `seconds`; the best
/// window's rate (on a shared machine, the one least disturbed by other work).
Peak measure_peak(int threads, double seconds);
/// Seconds per FMA of ONE dependent chain (its latency), for a second clock estimate.
double fma_latency_seconds(double seconds);
constexpr int kChains = 16;          ///< independent accumulators (> latency x pipes)
constexpr double kFmaPipes = 2;      ///< FMA units per core (Zen 4/5, Skylake-SP and later)
constexpr double kFmaLatencyCycles = 4;  ///< latency of a vector FMA (Zen 2-5, Skylake)

/// STREAM triad a[i] = b[i] + s c[i] over three arrays of `n` floats on `threads` threads:
/// best GB/s over repeats lasting about `seconds` (timed by Timer), counting 12 bytes per
/// element (STREAM's convention: two reads and a write, no write-allocate).
double measure_triad(std::size_t n, int threads, double seconds, bool wall = false);

// ---- Convolution ----------------------------------------------------------------------------

/// Direct convolution (cross-correlation), seven nested loops, no workspace; the innermost
/// runs over the outputs whose input lies inside the row (dl::valid_outputs), unit stride:
/// \f$ Y_{n,o,h,w} = b_o + \sum_{c,i,j} W_{o,c,i,j} X_{n,c,hs+i-p,ws+j-p} \f$.
/// X (N, C, H, W), W (O, C, kh, kw), b (O) -> Y (N, O, Ho, Wo).
dl::Tensor4<float> conv_direct(const dl::Tensor4<float>& x, const dl::Tensor4<float>& W,
                               const dl::Tensor1<float>& b, std::size_t stride, std::size_t pad);
/// The same through im2col + GEMM: dlcore's Conv2D::forward (BLAS threads as set).
dl::Tensor4<float> conv_im2col(const dl::Tensor4<float>& x, const dl::Tensor4<float>& W,
                               const dl::Tensor1<float>& b, std::size_t stride, std::size_t pad);

// ---- The roofline -------------------------------------------------------------------------

/// The work of one operation: floating-point operations and the bytes it must move at least
/// (each input, weight and output once, 4 bytes a float).
struct Work {
  double flops = 0;
  double bytes = 0;
  double intensity() const { return bytes > 0 ? flops / bytes : 0; }  ///< FLOPs per byte
};
/// Dense layer forward on a batch: Y (N, D_out) = X (N, D_in) W + b.
/// FLOPs 2 N D_in D_out + N D_out; bytes 4 (N D_in + D_in D_out + D_out + N D_out).
Work dense_work(std::size_t N, std::size_t d_in, std::size_t d_out);
/// Convolution forward, X (N, C, H, W) with O filters k x k: FLOPs 2 N O Ho Wo C k^2 + N O Ho Wo
/// (the bias); bytes 4 (N C H W + O C k^2 + O + N O Ho Wo).
Work conv_work(std::size_t N, std::size_t C, std::size_t H, std::size_t W, std::size_t O,
               std::size_t k, std::size_t stride, std::size_t pad);
/// One LSTM time step on a batch, X_t (N, D), h, c (N, H): the gate GEMMs 2 N (D + H) 4H, the
/// two biases 2 N 4H, the cell update 5 N H (f c + i g, o tanh c: counting tanh as one);
/// bytes 4 ((D + H) 4H + 8H weights and biases, N D + 2 N H in, 2 N H + N 4H out).
Work lstm_step_work(std::size_t N, std::size_t D, std::size_t H);
/// An element-wise activation (ReLU) on n values: n FLOPs, 8 n bytes (read x, write y).
Work elementwise_work(std::size_t n);
/// Seconds per time step of dlcore's LSTM forward (D inputs, H hidden units) on a batch of N
/// sequences of T steps: the fastest of `reps` runs, divided by T.
double time_lstm_step(std::size_t N, std::size_t D, std::size_t H, std::size_t T, dl::Rng& rng,
                      int reps);
/// The roofline: attainable GFLOP/s = min(peak, intensity x bandwidth).
inline double roof(double intensity, double peak_gflops, double bandwidth_gbs) {
  return intensity * bandwidth_gbs < peak_gflops ? intensity * bandwidth_gbs : peak_gflops;
}

// ---- Where the time of a training step goes -----------------------------------------------

/// One module of a network in one training step.
struct LayerProfile {
  std::string layer;                   ///< the module's describe()
  std::vector<std::size_t> in_shape;   ///< its input, batch included
  std::vector<std::size_t> out_shape;  ///< its output
  double forward_seconds = 0, backward_seconds = 0;  ///< fastest of the timed steps
  Work forward;          ///< FLOPs and bytes of the forward pass (zero where not counted)
  double backward_flops = 0;  ///< 2x forward for conv/dense (dW and dX), 1x without dX
  double forward_gflops() const { return forward_seconds > 0 ? forward.flops / forward_seconds / 1e9 : 0; }
  double backward_gflops() const {
    return backward_seconds > 0 ? backward_flops / backward_seconds / 1e9 : 0;
  }
};

/// Time every module's forward and backward in `steps` training steps of `net` on X with
/// labels y (softmax cross-entropy, train mode: dropout on; no optimizer step, which is
/// element-wise), after one warm-up step. Each module's time is its fastest over the steps
/// (Timer: CPU time when dl::parallel_threads() and dl::num_threads() are both 1, unless
/// `wall`). FLOPs and bytes are counted from the shapes
/// for Conv2D, Linear and ReLU; other modules (pooling, dropout, flatten) get zero FLOPs.
/// Extend here for other layers (e.g. a per-layer GFLOP/s table after a faster convolution).
std::vector<LayerProfile> profile_step(dl::Sequential<float>& net, const dl::Tensor4<float>& X,
                                       const dl::Labels& y, dl::Rng& rng, int steps,
                                       bool wall = false);

}  // namespace ch24
