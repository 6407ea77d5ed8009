#include "dlcore/layers/winograd.hpp"

#include <algorithm>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "dlcore/core/packed_gemm.hpp"

namespace dl {

namespace {
using aligned_floats = std::vector<float, xsimd::aligned_allocator<float>>;
}  // namespace

bool winograd_applies(const ConvGeometry& g) {
  // Odd output sizes waste a row and a column of tiles (13 x 13 outputs take 7 x 7 tiles, 16%
  // more work): measured here, such layers ran no faster than im2col, so they keep it.
  const std::size_t tiled = ((g.Ho + 1) / 2 * 2) * ((g.Wo + 1) / 2 * 2);
  return g.kh == 3 && g.kw == 3 && g.stride == 1 && g.C >= 8 && g.Ho >= 2 && g.Wo >= 2 &&
         10 * tiled <= 11 * g.Ho * g.Wo;
}

//! [winograd_filters]
void winograd_filters(const float* W, std::size_t O, std::size_t C, float* U) {
  for (std::size_t o = 0; o < O; ++o)
    for (std::size_t c = 0; c < C; ++c) {
      const float* g = W + (o * C + c) * 9;  // g[3 i + j]
      float Gg[4][3];                        // G g: rows g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2
      for (std::size_t j = 0; j < 3; ++j) {
        Gg[0][j] = g[j];
        Gg[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
        Gg[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
        Gg[3][j] = g[6 + j];
      }
      for (std::size_t i = 0; i < 4; ++i) {  // (G g) G^T: the same combination of columns
        const float u[4] = {Gg[i][0], 0.5f * (Gg[i][0] + Gg[i][1] + Gg[i][2]),
                            0.5f * (Gg[i][0] - Gg[i][1] + Gg[i][2]), Gg[i][2]};
        for (std::size_t j = 0; j < 4; ++j) U[((4 * i + j) * O + o) * C + c] = u[j];
      }
    }
}
//! [winograd_filters]

namespace {

// The geometry of the tiling: tiles of 2x2 outputs, th x tw per image; the input is read
// through a zero-padded copy of each channel, Hp x Wp, that covers every tile's 4x4 window.
struct Tiling {
  std::size_t th, tw, tiles, Hp, Wp;
};

Tiling tiling(const ConvGeometry& g) {
  Tiling t;
  t.th = (g.Ho + 1) / 2, t.tw = (g.Wo + 1) / 2, t.tiles = t.th * t.tw;
  t.Hp = 2 * t.th + 2, t.Wp = 2 * t.tw + 2;
  return t;
}

//! [winograd_input]
// V[xi][c][t0 + ty tw + tx] = (B^T d B)[xi] for the 4x4 window d of channel c at rows
// 2 ty - p .. 2 ty - p + 3, columns 2 tx - p .. + 3. B^T d takes four row combinations,
// d0 - d2, d1 + d2, d2 - d1, d1 - d3, and (.) B the same of columns. Vectorised over tx: the
// even and odd columns of each padded row are split first, so column 2 tx + k of the window
// is E[tx], O[tx], E[tx + 1], O[tx + 1] for k = 0..3.
void input_transform(const float* x, const ConvGeometry& g, const Tiling& T, std::size_t ld,
                     std::size_t t0, float* V, float* pad_buf) {
  const std::size_t tw = T.tw, half = tw + 1;  // E and O hold tw + 1 values per row
  float* E = pad_buf;                          // Hp rows of even columns
  float* Od = pad_buf + T.Hp * half;           // Hp rows of odd columns
  for (std::size_t c = 0; c < g.C; ++c) {
    // the padded channel, split into even and odd columns, row by row
    for (std::size_t r = 0; r < T.Hp; ++r) {
      float* e = E + r * half;
      float* od = Od + r * half;
      const long ih = long(r) - long(g.pad);
      if (ih < 0 || ih >= long(g.H)) {
        std::fill(e, e + half, 0.0f);
        std::fill(od, od + half, 0.0f);
        continue;
      }
      const float* in = x + (c * g.H + std::size_t(ih)) * g.W;
      for (std::size_t k = 0; k < half; ++k) {
        const long w0 = long(2 * k) - long(g.pad), w1 = w0 + 1;
        e[k] = (w0 >= 0 && w0 < long(g.W)) ? in[w0] : 0.0f;
        od[k] = (w1 >= 0 && w1 < long(g.W)) ? in[w1] : 0.0f;
      }
    }
    for (std::size_t ty = 0; ty < T.th; ++ty) {
      const float* e[4];
      const float* od[4];
      for (std::size_t r = 0; r < 4; ++r) e[r] = E + (2 * ty + r) * half, od[r] = Od + (2 * ty + r) * half;
      float* out = V + c * ld + t0 + ty * tw;  // + xi C ld for element xi
      const std::size_t step = g.C * ld;
#pragma GCC ivdep
      for (std::size_t tx = 0; tx < tw; ++tx) {  // independent tiles: vectorised over tx
        float d[4][4];
        for (std::size_t r = 0; r < 4; ++r)
          d[r][0] = e[r][tx], d[r][1] = od[r][tx], d[r][2] = e[r][tx + 1], d[r][3] = od[r][tx + 1];
        float bd[4][4];  // B^T d: combinations of rows
        for (std::size_t j = 0; j < 4; ++j) {
          bd[0][j] = d[0][j] - d[2][j];
          bd[1][j] = d[1][j] + d[2][j];
          bd[2][j] = d[2][j] - d[1][j];
          bd[3][j] = d[1][j] - d[3][j];
        }
        for (std::size_t i = 0; i < 4; ++i) {  // (B^T d) B: the same combinations of columns
          out[(4 * i + 0) * step + tx] = bd[i][0] - bd[i][2];
          out[(4 * i + 1) * step + tx] = bd[i][1] + bd[i][2];
          out[(4 * i + 2) * step + tx] = bd[i][2] - bd[i][1];
          out[(4 * i + 3) * step + tx] = bd[i][1] - bd[i][3];
        }
      }
    }
  }
}
//! [winograd_input]

//! [winograd_output]
// y[o, 2 ty + a, 2 tx + b] = (A^T m A)[a][b] + bias[o] for the 16 products m[xi] of tile
// (ty, tx): A^T m sums rows m0 + m1 + m2 and m1 - m2 - m3, and (.) A the same of columns.
// Outputs past Ho or Wo (an odd size's last tile) are dropped.
void output_transform(const float* M, std::size_t ld, std::size_t t0, const ConvGeometry& g,
                      const Tiling& T, std::size_t O, const float* bias, float* y, float* rows) {
  const std::size_t step = O * ld;
  for (std::size_t o = 0; o < O; ++o) {
    const float b = bias ? bias[o] : 0.0f;
    float* yo = y + o * g.Ho * g.Wo;
    for (std::size_t ty = 0; ty < T.th; ++ty) {
      const float* m = M + o * ld + t0 + ty * T.tw;
      float* __restrict r = rows;  // the tile row's 2 x 2 outputs: rows[a][2 tx + b], a, b in {0, 1}
#pragma GCC ivdep
      for (std::size_t tx = 0; tx < T.tw; ++tx) {  // independent tiles: vectorised over tx
        float v[4][4];
        for (std::size_t xi = 0; xi < 16; ++xi) v[xi / 4][xi % 4] = m[xi * step + tx];
        float s[2][4];
        for (std::size_t j = 0; j < 4; ++j) {
          s[0][j] = v[0][j] + v[1][j] + v[2][j];
          s[1][j] = v[1][j] - v[2][j] - v[3][j];
        }
        r[2 * tx] = s[0][0] + s[0][1] + s[0][2] + b;
        r[2 * tx + 1] = s[0][1] - s[0][2] - s[0][3] + b;
        r[2 * T.tw + 2 * tx] = s[1][0] + s[1][1] + s[1][2] + b;
        r[2 * T.tw + 2 * tx + 1] = s[1][1] - s[1][2] - s[1][3] + b;
      }
      float* y0 = yo + (2 * ty) * g.Wo;  // the outputs past Wo (odd Wo) or Ho (odd Ho) are dropped
      std::copy(rows, rows + g.Wo, y0);
      if (2 * ty + 1 < g.Ho) std::copy(rows + 2 * T.tw, rows + 2 * T.tw + g.Wo, y0 + g.Wo);
    }
  }
}
//! [winograd_output]

}  // namespace

void winograd_conv3x3(const float* x, std::size_t images, const ConvGeometry& g,
                      const float* U, std::size_t O, const float* bias, float* y) {
  const Tiling T = tiling(g);
  // images per round: the transformed inputs V (16 C tiles) near 512 KB, in L2
  const std::size_t per_image = 16 * g.C * T.tiles;
  const std::size_t group = std::clamp<std::size_t>((std::size_t(1) << 17) / per_image, 1, images);
  thread_local aligned_floats V, M, pad;
  const std::size_t ld = group * T.tiles;  // columns of each V_xi and M_xi
  if (V.size() < 16 * g.C * ld) V.resize(16 * g.C * ld);
  if (M.size() < 16 * O * ld) M.resize(16 * O * ld);
  if (pad.size() < 2 * T.Hp * (T.tw + 1)) pad.resize(2 * T.Hp * (T.tw + 1));  // >= 4 tw: also the output rows
  const std::size_t image = g.C * g.H * g.W, out = O * g.Ho * g.Wo;
  for (std::size_t n0 = 0; n0 < images; n0 += group) {
    const std::size_t k = std::min(group, images - n0), cols = k * T.tiles;
    for (std::size_t i = 0; i < k; ++i)
      input_transform(x + (n0 + i) * image, g, T, ld, i * T.tiles, V.data(), pad.data());
    //! [winograd_gemm]
    for (std::size_t xi = 0; xi < 16; ++xi)  // M_xi (C_out x tiles) = U_xi (C_out x C_in) V_xi
      packed_sgemm(Op::N, Op::N, O, cols, g.C, 1.0f, U + xi * O * g.C, g.C,
                   V.data() + xi * g.C * ld, ld, 0.0f, M.data() + xi * O * ld, ld);
    //! [winograd_gemm]
    for (std::size_t i = 0; i < k; ++i)
      output_transform(M.data(), ld, i * T.tiles, g, T, O, bias, y + (n0 + i) * out, pad.data());
  }
}

}  // namespace dl
