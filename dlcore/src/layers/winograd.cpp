#include "dlcore/layers/winograd.hpp"

#include <algorithm>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "dlcore/core/packed_gemm.hpp"
#include "dlcore/core/parallel.hpp"

namespace dl {

namespace {
using aligned_floats = std::vector<float, xsimd::aligned_allocator<float>>;
}  // namespace

bool winograd_applies(const ConvGeometry& g) {
  // Odd output sizes waste a row and a column of tiles (13 x 13 outputs take 7 x 7 tiles, 16%
  // more work; 11 x 11 take 6 x 6, 19%): measured here, such layers still run faster than
  // im2col (the seed CNN's third and fourth, 4.1 -> 3.2 and 5.6 -> 4.5 ms per batch of 128);
  // smaller maps, with more waste (9 x 9: 23%), keep im2col.
  const std::size_t tiled = ((g.Ho + 1) / 2 * 2) * ((g.Wo + 1) / 2 * 2);
  return g.kh == 3 && g.kw == 3 && g.stride == 1 && g.C >= 8 && g.Ho >= 2 && g.Wo >= 2 &&
         10 * tiled <= 12 * g.Ho * g.Wo;
}

namespace {
// The filters of outputs o0 <= o < o1; the threads share the outputs (each writes its own
// entries of U: the same numbers as one thread). A block of up to 64 input channels at a
// time goes through a small buffer and then into U as 16 contiguous runs: written straight
// into U, each filter's 16 values land O C floats apart, the same cache sets for every xi
// (C_out C_in = 4096: 16 KB apart), and the stores conflicted.
void filters_of(const float* W, std::size_t O, std::size_t C, std::size_t o0, std::size_t o1,
                float* U) {
  constexpr std::size_t kC = 64;
  float buf[16][kC];
  for (std::size_t o = o0; o < o1; ++o)
    for (std::size_t c0 = 0; c0 < C; c0 += kC) {
      const std::size_t cn = std::min(kC, C - c0);
      //! [winograd_filters]
      for (std::size_t c = 0; c < cn; ++c) {
        const float* g = W + (o * C + c0 + c) * 9;  // g[3 i + j]
        float Gg[4][3];                             // G g: rows g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2
        for (std::size_t j = 0; j < 3; ++j) {
          Gg[0][j] = g[j];
          Gg[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
          Gg[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
          Gg[3][j] = g[6 + j];
        }
        for (std::size_t i = 0; i < 4; ++i) {  // (G g) G^T: the same combination of columns
          const float u[4] = {Gg[i][0], 0.5f * (Gg[i][0] + Gg[i][1] + Gg[i][2]),
                              0.5f * (Gg[i][0] - Gg[i][1] + Gg[i][2]), Gg[i][2]};
          for (std::size_t j = 0; j < 4; ++j) buf[4 * i + j][c] = u[j];  // U[4 i + j][o][c]
        }
      }
      //! [winograd_filters]
      for (std::size_t xi = 0; xi < 16; ++xi)
        std::copy_n(buf[xi], cn, U + (xi * O + o) * C + c0);
    }
}
}  // namespace

void winograd_filters(const float* W, std::size_t O, std::size_t C, float* U) {
  // a memory-bound loop over the 16 O C values of U, on both threads where that pays (the
  // seed CNN's 64 x 64: 153 microseconds per call on one thread with the conflicting stores,
  // 16 through the buffer on two; Chapter 24, "Third round")
  parallel_for_elements(O, 16 * O * C, [&](std::size_t o0, std::size_t o1, std::size_t) {
    filters_of(W, O, C, o0, o1, U);
  });
}

namespace {

using batch = xsimd::batch<float>;
constexpr std::size_t kW = batch::size;  // floats per vector register: tiles per step
#if XSIMD_WITH_AVX512F && XSIMD_WITH_AVX2
using half_batch = xsimd::batch<float, xsimd::avx2>;  // rows of 8 tiles or fewer (13 x 13
#else                                                // maps): half the work of 16 lanes
using half_batch = batch;
#endif

// The row of tw tiles kW at a time, the last step (or the only one) half as wide where that
// covers what is left: f(B{}, tx) for a batch type B and its first tile tx.
template <class F>
void over_row(std::size_t tw, F f) {
  std::size_t tx = 0;
  for (; tx < tw && tw - tx > half_batch::size; tx += kW) f(batch{}, tx);
  if (tx < tw) f(half_batch{}, tx);
}

std::size_t round_up(std::size_t n, std::size_t m) { return (n + m - 1) / m * m; }

// The geometry of the tiling: tiles of 2x2 outputs, th x tw per image; the input is read
// through a zero-padded copy of each channel, Hp x Wp, that covers every tile's 4x4 window.
// The transforms run over a row of tiles kW (or kW / 2) at a time, all lanes even past the row's end:
// the buffers hold a row of hs >= tw + kW tiles, and what lands past a row is overwritten
// by the next row (or lies in the kW columns of slack at the end of V and M).
struct Tiling {
  std::size_t th, tw, tiles, Hp, Wp, hs;
};

Tiling tiling(const ConvGeometry& g) {
  Tiling t;
  t.th = (g.Ho + 1) / 2, t.tw = (g.Wo + 1) / 2, t.tiles = t.th * t.tw;
  t.Hp = 2 * t.th + 2, t.Wp = 2 * t.tw + 2;
  t.hs = round_up(t.tw, kW) + kW;
  return t;
}

//! [winograd_input]
// V[xi][c][t0 + ty tw + tx] = (B^T d B)[xi] for the 4x4 window d of channel c at rows
// 2 ty - p .. 2 ty - p + 3, columns 2 tx - p .. + 3. B^T d takes four row combinations,
// d0 - d2, d1 + d2, d2 - d1, d1 - d3, and (.) B the same of columns. Vectorised over tx: the
// even and odd columns of each padded row are split first, so column 2 tx + k of the window
// is E[tx], O[tx], E[tx + 1], O[tx + 1] for k = 0..3, each a contiguous load of kW tiles.
// buf: 2 Hp hs floats for E and O, 2 hs + 2 for one padded row.
void input_transform(const float* x, const ConvGeometry& g, const Tiling& T, std::size_t ld,
                     std::size_t t0, float* V, float* buf) {
  const std::size_t hs = T.hs;
  float* E = buf;                // Hp rows of even columns
  float* Od = buf + T.Hp * hs;   // Hp rows of odd columns
  float* row = Od + T.Hp * hs;   // one zero-padded input row, 2 hs + 2 floats
  std::fill(row, row + 2 * hs + 2, 0.0f);
  const std::size_t W = std::min(g.W, 2 * hs + 2 - g.pad);  // columns any tile reads
  for (std::size_t c = 0; c < g.C; ++c) {
    // the padded channel, split into even and odd columns, row by row
    for (std::size_t r = 0; r < T.Hp; ++r) {
      float* __restrict e = E + r * hs;
      float* __restrict od = Od + r * hs;
      const long ih = long(r) - long(g.pad);
      if (ih < 0 || ih >= long(g.H)) {
        std::fill(e, e + hs, 0.0f);
        std::fill(od, od + hs, 0.0f);
        continue;
      }
      std::copy_n(x + (c * g.H + std::size_t(ih)) * g.W, W, row + g.pad);
      for (std::size_t k = 0; k < hs; ++k) e[k] = row[2 * k], od[k] = row[2 * k + 1];
    }
    const std::size_t step = g.C * ld;
    for (std::size_t ty = 0; ty < T.th; ++ty) {
      const float* e[4];
      const float* od[4];
      for (std::size_t r = 0; r < 4; ++r) e[r] = E + (2 * ty + r) * hs, od[r] = Od + (2 * ty + r) * hs;
      float* out = V + c * ld + t0 + ty * T.tw;  // + xi C ld for element xi
      over_row(T.tw, [&](auto B0, std::size_t tx) {  // B::size independent tiles at a time
        using B = decltype(B0);
        B d[4][4];
        for (std::size_t r = 0; r < 4; ++r) {
          d[r][0] = B::load_unaligned(e[r] + tx);
          d[r][1] = B::load_unaligned(od[r] + tx);
          d[r][2] = B::load_unaligned(e[r] + tx + 1);
          d[r][3] = B::load_unaligned(od[r] + tx + 1);
        }
        B bd[4][4];  // B^T d: combinations of rows
        for (std::size_t j = 0; j < 4; ++j) {
          bd[0][j] = d[0][j] - d[2][j];
          bd[1][j] = d[1][j] + d[2][j];
          bd[2][j] = d[2][j] - d[1][j];
          bd[3][j] = d[1][j] - d[3][j];
        }
        for (std::size_t i = 0; i < 4; ++i) {  // (B^T d) B: the same combinations of columns
          (bd[i][0] - bd[i][2]).store_unaligned(out + (4 * i + 0) * step + tx);
          (bd[i][1] + bd[i][2]).store_unaligned(out + (4 * i + 1) * step + tx);
          (bd[i][2] - bd[i][1]).store_unaligned(out + (4 * i + 2) * step + tx);
          (bd[i][1] - bd[i][3]).store_unaligned(out + (4 * i + 3) * step + tx);
        }
      });
    }
  }
}
//! [winograd_input]

//! [winograd_output]
// y[o, 2 ty + a, 2 tx + b] = (A^T m A)[a][b] + bias[o] for the 16 products m[xi] of tile
// (ty, tx): A^T m sums rows m0 + m1 + m2 and m1 - m2 - m3, and (.) A the same of columns.
// Vectorised over tx like the input; the four outputs of each tile go to four rows of
// buf (4 hs floats) and are interleaved into Y's two rows. Outputs past Ho or Wo (an odd
// size's last tile) are dropped.
void output_transform(const float* M, std::size_t ld, std::size_t t0, const ConvGeometry& g,
                      const Tiling& T, std::size_t O, const float* bias, float* y, float* buf) {
  const std::size_t step = O * ld, hs = T.hs;
  float* __restrict r00 = buf;  // outputs (2 ty + a, 2 tx + b) of the row of tiles: r_ab[tx]
  float* __restrict r01 = buf + hs;
  float* __restrict r10 = buf + 2 * hs;
  float* __restrict r11 = buf + 3 * hs;
  for (std::size_t o = 0; o < O; ++o) {
    const float b = bias ? bias[o] : 0.0f;
    float* yo = y + o * g.Ho * g.Wo;
    for (std::size_t ty = 0; ty < T.th; ++ty) {
      const float* m = M + o * ld + t0 + ty * T.tw;
      over_row(T.tw, [&](auto B0, std::size_t tx) {  // B::size independent tiles at a time
        using B = decltype(B0);
        B v[4][4];
        for (std::size_t xi = 0; xi < 16; ++xi) v[xi / 4][xi % 4] = B::load_unaligned(m + xi * step + tx);
        B s[2][4];
        for (std::size_t j = 0; j < 4; ++j) {
          s[0][j] = v[0][j] + v[1][j] + v[2][j];
          s[1][j] = v[1][j] - v[2][j] - v[3][j];
        }
        (s[0][0] + s[0][1] + s[0][2] + B(b)).store_unaligned(r00 + tx);
        (s[0][1] - s[0][2] - s[0][3] + B(b)).store_unaligned(r01 + tx);
        (s[1][0] + s[1][1] + s[1][2] + B(b)).store_unaligned(r10 + tx);
        (s[1][1] - s[1][2] - s[1][3] + B(b)).store_unaligned(r11 + tx);
      });
      float* __restrict y0 = yo + (2 * ty) * g.Wo;  // outputs past Wo (odd Wo) or Ho (odd Ho) are dropped
      const std::size_t pairs = g.Wo / 2;
      for (std::size_t tx = 0; tx < pairs; ++tx) y0[2 * tx] = r00[tx], y0[2 * tx + 1] = r01[tx];
      if (g.Wo % 2) y0[g.Wo - 1] = r00[pairs];
      if (2 * ty + 1 < g.Ho) {
        float* __restrict y1 = y0 + g.Wo;
        for (std::size_t tx = 0; tx < pairs; ++tx) y1[2 * tx] = r10[tx], y1[2 * tx + 1] = r11[tx];
        if (g.Wo % 2) y1[g.Wo - 1] = r10[pairs];
      }
    }
  }
}
//! [winograd_output]

}  // namespace

void winograd_conv3x3(const float* x, std::size_t images, const ConvGeometry& g,
                      const float* U, std::size_t O, const float* bias, float* y) {
  if (images == 0) return;  // (no rounds: the group size below would divide by zero)
  const Tiling T = tiling(g);
  // images per round: the transformed inputs V (16 C tiles per image) up to 2^18 floats, the
  // 1 MB of this processor's L2 cache; measured against 2^17 and 2^19 (the seed CNN's 3x3
  // layers: 0.5-0.6 ms faster each than at 2^17, forward and backward; 2^19 no better)
  const std::size_t per_image = 16 * g.C * T.tiles;
  const std::size_t most = std::clamp<std::size_t>((std::size_t(1) << 18) / per_image, 1, images);
  const std::size_t rounds = (images + most - 1) / most;
  const std::size_t group = (images + rounds - 1) / rounds;  // rounds as equal as they can be
  thread_local aligned_floats V, M, buf;
  const std::size_t ld = group * T.tiles + kW;  // columns of each V_xi and M_xi, with slack
  if (V.size() < 16 * g.C * ld) V.resize(16 * g.C * ld);
  if (M.size() < 16 * O * ld) M.resize(16 * O * ld);
  const std::size_t scratch = std::max(2 * T.Hp * T.hs + 2 * T.hs + 2, 4 * T.hs);
  if (buf.size() < scratch) buf.resize(scratch);
  const std::size_t image = g.C * g.H * g.W, out = O * g.Ho * g.Wo;
  for (std::size_t n0 = 0; n0 < images; n0 += group) {
    const std::size_t k = std::min(group, images - n0), cols = k * T.tiles;
    for (std::size_t i = 0; i < k; ++i)
      input_transform(x + (n0 + i) * image, g, T, ld, i * T.tiles, V.data(), buf.data());
    //! [winograd_gemm]
    for (std::size_t xi = 0; xi < 16; ++xi)  // M_xi (C_out x tiles) = U_xi (C_out x C_in) V_xi
      packed_sgemm(Op::N, Op::N, O, cols, g.C, 1.0f, U + xi * O * g.C, g.C,
                   V.data() + xi * g.C * ld, ld, 0.0f, M.data() + xi * O * ld, ld);
    //! [winograd_gemm]
    for (std::size_t i = 0; i < k; ++i)
      output_transform(M.data(), ld, i * T.tiles, g, T, O, bias, y + (n0 + i) * out, buf.data());
  }
}

}  // namespace dl
