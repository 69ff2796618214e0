// Small WASM SIMD kernels for @albert-ts/backends, run on tfjs-backend-wasm's own heap (the module imports the
// backend's memory). Rebuild with `node scripts/build-simd.mjs` (needs clang + wasm-ld, Debian: clang lld).
// Rules: leaf functions only, no stack, no static data, no libc: pointers are byte offsets into the tfjs heap.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// dst[b][c][r][k] = src[b][r][c][k] for b < batch, r < rows, c < cols, k < inner (inner floats contiguous).
EXPORT(transpose_blocks)
void transpose_blocks(const float* src, float* dst, int batch, int rows, int cols, int inner) {
  const int plane = rows * cols * inner;
  for (int b = 0; b < batch; b++) {
    const float* s = src + b * plane;
    float* d = dst + b * plane;
    if (inner == 1) {
      // 32x32 tiles made of 4x4 SIMD transposes
      for (int i0 = 0; i0 < rows; i0 += 32) {
        const int i1 = i0 + 32 < rows ? i0 + 32 : rows;
        for (int j0 = 0; j0 < cols; j0 += 32) {
          const int j1 = j0 + 32 < cols ? j0 + 32 : cols;
          int i = i0;
          for (; i + 4 <= i1; i += 4) {
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
              v128_t r0 = wasm_v128_load(s + (i + 0) * cols + j);
              v128_t r1 = wasm_v128_load(s + (i + 1) * cols + j);
              v128_t r2 = wasm_v128_load(s + (i + 2) * cols + j);
              v128_t r3 = wasm_v128_load(s + (i + 3) * cols + j);
              v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
              v128_t t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
              v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
              v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
              wasm_v128_store(d + (j + 0) * rows + i, wasm_i64x2_shuffle(t0, t1, 0, 2));
              wasm_v128_store(d + (j + 1) * rows + i, wasm_i64x2_shuffle(t0, t1, 1, 3));
              wasm_v128_store(d + (j + 2) * rows + i, wasm_i64x2_shuffle(t2, t3, 0, 2));
              wasm_v128_store(d + (j + 3) * rows + i, wasm_i64x2_shuffle(t2, t3, 1, 3));
            }
            for (; j < j1; j++) {
              for (int k = 0; k < 4; k++) d[j * rows + i + k] = s[(i + k) * cols + j];
            }
          }
          for (; i < i1; i++) {
            for (int j = j0; j < j1; j++) d[j * rows + i] = s[i * cols + j];
          }
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          const float* from = s + (r * cols + c) * inner;
          float* to = d + (c * rows + r) * inner;
          int k = 0;
          for (; k + 4 <= inner; k += 4) wasm_v128_store(to + k, wasm_v128_load(from + k));
          for (; k < inner; k++) to[k] = from[k];
        }
      }
    }
  }
}

// e^x for a vector: x = n ln2 + r, |r| <= ln2/2, degree-6 polynomial for e^r (rel. error ~2e-7), 2^n by exponent bits.
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.3f)), wasm_f32x4_splat(88.7f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.0f / 720.0f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 120.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 24.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 6.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.5f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, e);
}

EXPORT(exp_f32)
void exp_f32(const float* x, float* y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, exp4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(exp4(wasm_f32x4_splat(x[i])), 0);
}

// tanh(x) = sign(x) (1 - 2 / (e^{2|x|} + 1)); for |x| < 0.0625 the odd series x - x^3/3 + 2x^5/15 (abs. error < 1e-9).
static inline v128_t tanh4(v128_t x) {
  v128_t ax = wasm_f32x4_abs(x);
  // clamp at 10: 1 - 2 / (e^20 + 1) rounds to exactly 1, as tanh does for |x| > 9.01
  v128_t e = exp4(wasm_f32x4_mul(wasm_f32x4_min(ax, wasm_f32x4_splat(10.0f)), wasm_f32x4_splat(2.0f)));
  v128_t big = wasm_f32x4_sub(wasm_f32x4_splat(1.0f), wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, wasm_f32x4_splat(1.0f))));
  v128_t x2 = wasm_f32x4_mul(ax, ax);
  v128_t small = wasm_f32x4_mul(ax, wasm_f32x4_add(wasm_f32x4_splat(1.0f),
      wasm_f32x4_mul(x2, wasm_f32x4_add(wasm_f32x4_splat(-1.0f / 3.0f), wasm_f32x4_mul(x2, wasm_f32x4_splat(2.0f / 15.0f))))));
  v128_t t = wasm_v128_bitselect(small, big, wasm_f32x4_lt(ax, wasm_f32x4_splat(0.0625f)));
  // copy the sign of x
  return wasm_v128_or(t, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000)));
}

EXPORT(tanh_f32)
void tanh_f32(const float* x, float* y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, tanh4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(tanh4(wasm_f32x4_splat(x[i])), 0);
}

// y[c] = sum_r x[r][c] (a reduction over the leading axis of a [rows, cols] matrix).
EXPORT(sum_rows_f32)
void sum_rows_f32(const float* x, float* y, int rows, int cols) {
  int c = 0;
  for (; c + 16 <= cols; c += 16) {
    v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (int r = 0; r < rows; r++) {
      const float* p = x + r * cols + c;
      a0 = wasm_f32x4_add(a0, wasm_v128_load(p));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(p + 4));
      a2 = wasm_f32x4_add(a2, wasm_v128_load(p + 8));
      a3 = wasm_f32x4_add(a3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(y + c, a0);
    wasm_v128_store(y + c + 4, a1);
    wasm_v128_store(y + c + 8, a2);
    wasm_v128_store(y + c + 12, a3);
  }
  for (; c < cols; c++) {
    float s = 0;
    for (int r = 0; r < rows; r++) s += x[r * cols + c];
    y[c] = s;
  }
}

// ---- Fused training kernels (kernel names declared by @albert-ts/core, src/ops). All sizes in floats.

static inline float hsum4(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

static inline float exp1(float x) { return wasm_f32x4_extract_lane(exp4(wasm_f32x4_splat(x)), 0); }

// Mean and 1/sqrt(biased variance + eps) of one row (two passes, like tf.moments).
static inline void row_moments(const float* x, int n, float eps, float* mean_out, float* rstd_out) {
  v128_t s = wasm_f32x4_splat(0);
  int i = 0;
  for (; i + 4 <= n; i += 4) s = wasm_f32x4_add(s, wasm_v128_load(x + i));
  float sum = hsum4(s);
  for (; i < n; i++) sum += x[i];
  const float mean = sum / (float)n;
  const v128_t vm = wasm_f32x4_splat(mean);
  v128_t q = wasm_f32x4_splat(0);
  i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t d = wasm_f32x4_sub(wasm_v128_load(x + i), vm);
    q = wasm_f32x4_add(q, wasm_f32x4_mul(d, d));
  }
  float sq = hsum4(q);
  for (; i < n; i++) sq += (x[i] - mean) * (x[i] - mean);
  *mean_out = mean;
  *rstd_out = 1.0f / __builtin_sqrtf(sq / (float)n + eps);
}

// y = (x - mean) / sqrt(var + eps) * gamma + beta over the last axis of a [rows, n] matrix.
EXPORT(layer_norm_f32)
void layer_norm_f32(const float* x, const float* gamma, const float* beta, float* y, int rows, int n, float eps) {
  for (int r = 0; r < rows; r++) {
    const float* xr = x + r * n;
    float* yr = y + r * n;
    float mean, rstd;
    row_moments(xr, n, eps, &mean, &rstd);
    const v128_t vm = wasm_f32x4_splat(mean), vr = wasm_f32x4_splat(rstd);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      v128_t h = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + i), vm), vr);
      wasm_v128_store(yr + i, wasm_f32x4_add(wasm_f32x4_mul(h, wasm_v128_load(gamma + i)), wasm_v128_load(beta + i)));
    }
    for (; i < n; i++) yr[i] = (xr[i] - mean) * rstd * gamma[i] + beta[i];
  }
}

// LayerNorm backward (mean and rstd recomputed from x): dx, and dgamma / dbeta summed over the rows.
EXPORT(layer_norm_grad_f32)
void layer_norm_grad_f32(const float* dy, const float* x, const float* gamma, float* dx, float* dgamma, float* dbeta,
                         int rows, int n, float eps) {
  for (int i = 0; i < n; i++) dgamma[i] = dbeta[i] = 0;
  const float inv_n = 1.0f / (float)n;
  for (int r = 0; r < rows; r++) {
    const float* xr = x + r * n;
    const float* dyr = dy + r * n;
    float* dxr = dx + r * n;
    float mean, rstd;
    row_moments(xr, n, eps, &mean, &rstd);
    const v128_t vm = wasm_f32x4_splat(mean), vr = wasm_f32x4_splat(rstd);
    // sums of g = dy * gamma and g * xhat over the row; dgamma += dy * xhat, dbeta += dy
    v128_t sg = wasm_f32x4_splat(0), sgx = sg;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      v128_t d = wasm_v128_load(dyr + i);
      v128_t h = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + i), vm), vr);
      v128_t g = wasm_f32x4_mul(d, wasm_v128_load(gamma + i));
      sg = wasm_f32x4_add(sg, g);
      sgx = wasm_f32x4_add(sgx, wasm_f32x4_mul(g, h));
      wasm_v128_store(dgamma + i, wasm_f32x4_add(wasm_v128_load(dgamma + i), wasm_f32x4_mul(d, h)));
      wasm_v128_store(dbeta + i, wasm_f32x4_add(wasm_v128_load(dbeta + i), d));
    }
    float sum_g = hsum4(sg), sum_gx = hsum4(sgx);
    for (; i < n; i++) {
      float h = (xr[i] - mean) * rstd, g = dyr[i] * gamma[i];
      sum_g += g;
      sum_gx += g * h;
      dgamma[i] += dyr[i] * h;
      dbeta[i] += dyr[i];
    }
    const float mg = sum_g * inv_n, mgx = sum_gx * inv_n;
    const v128_t vmg = wasm_f32x4_splat(mg), vmgx = wasm_f32x4_splat(mgx);
    i = 0;
    for (; i + 4 <= n; i += 4) {
      v128_t h = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + i), vm), vr);
      v128_t g = wasm_f32x4_mul(wasm_v128_load(dyr + i), wasm_v128_load(gamma + i));
      v128_t t = wasm_f32x4_sub(wasm_f32x4_sub(g, vmg), wasm_f32x4_mul(h, vmgx));
      wasm_v128_store(dxr + i, wasm_f32x4_mul(t, vr));
    }
    for (; i < n; i++) {
      float h = (xr[i] - mean) * rstd, g = dyr[i] * gamma[i];
      dxr[i] = (g - mg - h * mgx) * rstd;
    }
  }
}

#define GELU_C 0.7978845608028654f  // sqrt(2/pi)
#define GELU_A 0.044715f

// gelu_new: 0.5 x (1 + tanh(u)) with u = sqrt(2/pi) (x + 0.044715 x^3), computed as x * s with
// s = sigmoid(2u) = 1 / (1 + e^{-2u}) (the same function: one exp and one division instead of a full tanh).
static inline v128_t gelu_inner2(v128_t x) {  // -2u
  v128_t x3 = wasm_f32x4_mul(wasm_f32x4_mul(x, x), x);
  return wasm_f32x4_mul(wasm_f32x4_splat(-2.0f * GELU_C), wasm_f32x4_add(x, wasm_f32x4_mul(wasm_f32x4_splat(GELU_A), x3)));
}

static inline v128_t gelu4(v128_t x) {
  v128_t s = wasm_f32x4_div(wasm_f32x4_splat(1.0f), wasm_f32x4_add(wasm_f32x4_splat(1.0f), exp4(gelu_inner2(x))));
  return wasm_f32x4_mul(x, s);
}

// d/dx [x s(2u)] = s + 2 x s (1 - s) u',  u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
static inline v128_t gelu_grad4(v128_t dy, v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  v128_t s = wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(gelu_inner2(x))));
  v128_t du2 = wasm_f32x4_mul(wasm_f32x4_splat(2.0f * GELU_C),
                              wasm_f32x4_add(one, wasm_f32x4_mul(wasm_f32x4_splat(3.0f * GELU_A), wasm_f32x4_mul(x, x))));
  v128_t d = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_mul(x, du2), wasm_f32x4_mul(s, wasm_f32x4_sub(one, s))));
  return wasm_f32x4_mul(dy, d);
}

EXPORT(gelu_new_f32)
void gelu_new_f32(const float* x, float* y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, gelu4(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(gelu4(wasm_f32x4_splat(x[i])), 0);
}

EXPORT(gelu_new_grad_f32)
void gelu_new_grad_f32(const float* dy, const float* x, float* dx, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dx + i, gelu_grad4(wasm_v128_load(dy + i), wasm_v128_load(x + i)));
  for (; i < n; i++) dx[i] = wasm_f32x4_extract_lane(gelu_grad4(wasm_f32x4_splat(dy[i]), wasm_f32x4_splat(x[i])), 0);
}

// C[M][N] = A[M][K] B[K][N], row-major with leading dimensions lda/ldb/ldc (floats); overwrites C.
// 4x8 register tiles (8 accumulators), then 4-wide and scalar tails.
static void gemm_nn(const float* A, int lda, const float* B, int ldb, float* C, int ldc, int M, int N, int K) {
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    const float* a0 = A + i * lda;
    const float* a1 = a0 + lda;
    const float* a2 = a1 + lda;
    const float* a3 = a2 + lda;
    float* c0 = C + i * ldc;
    float* c1 = c0 + ldc;
    float* c2 = c1 + ldc;
    float* c3 = c2 + ldc;
    int j = 0;
    for (; j + 8 <= N; j += 8) {
      v128_t z = wasm_f32x4_splat(0);
      v128_t s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
      const float* b = B + j;
      for (int p = 0; p < K; p++, b += ldb) {
        v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        v128_t x0 = wasm_f32x4_splat(a0[p]), x1 = wasm_f32x4_splat(a1[p]);
        v128_t x2 = wasm_f32x4_splat(a2[p]), x3 = wasm_f32x4_splat(a3[p]);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x0, b0));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x0, b1));
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x1, b0));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x1, b1));
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(x2, b0));
        s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(x2, b1));
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(x3, b0));
        s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(x3, b1));
      }
      wasm_v128_store(c0 + j, s00); wasm_v128_store(c0 + j + 4, s01);
      wasm_v128_store(c1 + j, s10); wasm_v128_store(c1 + j + 4, s11);
      wasm_v128_store(c2 + j, s20); wasm_v128_store(c2 + j + 4, s21);
      wasm_v128_store(c3 + j, s30); wasm_v128_store(c3 + j + 4, s31);
    }
    for (; j + 4 <= N; j += 4) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      const float* b = B + j;
      for (int p = 0; p < K; p++, b += ldb) {
        v128_t b0 = wasm_v128_load(b);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_f32x4_splat(a0[p]), b0));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_f32x4_splat(a1[p]), b0));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_f32x4_splat(a2[p]), b0));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_f32x4_splat(a3[p]), b0));
      }
      wasm_v128_store(c0 + j, s0); wasm_v128_store(c1 + j, s1);
      wasm_v128_store(c2 + j, s2); wasm_v128_store(c3 + j, s3);
    }
    for (; j < N; j++) {
      float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int p = 0; p < K; p++) {
        const float bv = B[p * ldb + j];
        s0 += a0[p] * bv; s1 += a1[p] * bv; s2 += a2[p] * bv; s3 += a3[p] * bv;
      }
      c0[j] = s0; c1[j] = s1; c2[j] = s2; c3[j] = s3;
    }
  }
  for (; i < M; i++) {
    const float* a0 = A + i * lda;
    float* c0 = C + i * ldc;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      v128_t s0 = wasm_f32x4_splat(0);
      const float* b = B + j;
      for (int p = 0; p < K; p++, b += ldb) s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_f32x4_splat(a0[p]), wasm_v128_load(b)));
      wasm_v128_store(c0 + j, s0);
    }
    for (; j < N; j++) {
      float s0 = 0;
      for (int p = 0; p < K; p++) s0 += a0[p] * B[p * ldb + j];
      c0[j] = s0;
    }
  }
}

// dst[c][r] = src[r * lds + c] for r < rows, c < cols (dst dense [cols][rows]).
static void transpose_strided(const float* src, int lds, float* dst, int rows, int cols) {
  for (int r = 0; r < rows; r++) {
    const float* s = src + r * lds;
    for (int c = 0; c < cols; c++) dst[c * rows + r] = s[c];
  }
}

// x = softmax(scale * x + mask) over one row of n.
static void softmax_row(float* x, const float* mask, int n, float scale) {
  const v128_t vs = wasm_f32x4_splat(scale);
  v128_t vmax = wasm_f32x4_splat(-__builtin_inff());
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t t = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + i), vs), wasm_v128_load(mask + i));
    wasm_v128_store(x + i, t);
    vmax = wasm_f32x4_pmax(vmax, t);
  }
  float mx = wasm_f32x4_extract_lane(vmax, 0);
  for (int l = 1; l < 4; l++) {
    float e = l == 1 ? wasm_f32x4_extract_lane(vmax, 1) : l == 2 ? wasm_f32x4_extract_lane(vmax, 2) : wasm_f32x4_extract_lane(vmax, 3);
    mx = e > mx ? e : mx;
  }
  for (; i < n; i++) {
    x[i] = x[i] * scale + mask[i];
    mx = x[i] > mx ? x[i] : mx;
  }
  const v128_t vm = wasm_f32x4_splat(mx);
  v128_t vsum = wasm_f32x4_splat(0);
  i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t e = exp4(wasm_f32x4_sub(wasm_v128_load(x + i), vm));
    wasm_v128_store(x + i, e);
    vsum = wasm_f32x4_add(vsum, e);
  }
  float sum = hsum4(vsum);
  for (; i < n; i++) {
    x[i] = exp1(x[i] - mx);
    sum += x[i];
  }
  const v128_t inv = wasm_f32x4_splat(1.0f / sum);
  i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, wasm_f32x4_mul(wasm_v128_load(x + i), inv));
  for (; i < n; i++) x[i] *= 1.0f / sum;
}

// Attention core on [B, T, H] queries / keys / values (H = NH * dh, head h in columns h*dh..h*dh+dh-1) with an
// additive [B, T] key mask: probs[b][h] = softmax(scale * Q_h K_h^T + mask[b]) ([B, NH, T, T]) and
// out[b, :, h] = probs[b][h] V_h ([B, T, H]). scratch: dh * T floats.
EXPORT(attention_f32)
void attention_f32(const float* q, const float* k, const float* v, const float* mask, float* out, float* probs,
                   float* scratch, int B, int T, int NH, int dh, float scale) {
  const int H = NH * dh;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < NH; h++) {
      const int off = b * T * H + h * dh;
      float* P = probs + (b * NH + h) * T * T;
      transpose_strided(k + off, H, scratch, T, dh);              // K_h [T, dh] -> [dh, T]
      gemm_nn(q + off, H, scratch, T, P, T, T, T, dh);             // Q_h K_h^T: [T, T]
      for (int i = 0; i < T; i++) softmax_row(P + i * T, mask + b * T, T, scale);
      gemm_nn(P, T, v + off, H, out + off, H, T, dh, T);           // P V_h: [T, dh]
    }
  }
}

// Backward of attention_f32 given dy = d out ([B, T, H]) and the saved probs: dq, dk, dv ([B, T, H]).
// scratch: dh * T + 2 * T * T floats.
EXPORT(attention_grad_f32)
void attention_grad_f32(const float* dy, const float* q, const float* k, const float* v, const float* probs,
                        float* dq, float* dk, float* dv, float* scratch, int B, int T, int NH, int dh, float scale) {
  const int H = NH * dh;
  float* vt = scratch;        // [dh, T]
  float* ds = vt + dh * T;    // [T, T]
  float* tt = ds + T * T;     // [T, T]
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < NH; h++) {
      const int off = b * T * H + h * dh;
      const float* P = probs + (b * NH + h) * T * T;
      transpose_blocks(P, tt, 1, T, T, 1);                         // P^T
      gemm_nn(tt, T, dy + off, H, dv + off, H, T, dh, T);          // dV = P^T dY: [T, dh]
      transpose_strided(v + off, H, vt, T, dh);                    // V_h^T: [dh, T]
      gemm_nn(dy + off, H, vt, T, ds, T, T, T, dh);                // dP = dY V^T: [T, T]
      for (int i = 0; i < T; i++) {                                // dS = scale * P * (dP - rowsum(P * dP))
        const float* pr = P + i * T;
        float* dr = ds + i * T;
        v128_t acc = wasm_f32x4_splat(0);
        int j = 0;
        for (; j + 4 <= T; j += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(pr + j), wasm_v128_load(dr + j)));
        float s = hsum4(acc);
        for (; j < T; j++) s += pr[j] * dr[j];
        const v128_t vs = wasm_f32x4_splat(s), vsc = wasm_f32x4_splat(scale);
        j = 0;
        for (; j + 4 <= T; j += 4) {
          v128_t t = wasm_f32x4_mul(wasm_v128_load(pr + j), wasm_f32x4_sub(wasm_v128_load(dr + j), vs));
          wasm_v128_store(dr + j, wasm_f32x4_mul(t, vsc));
        }
        for (; j < T; j++) dr[j] = pr[j] * (dr[j] - s) * scale;
      }
      gemm_nn(ds, T, k + off, H, dq + off, H, T, dh, T);           // dQ = dS K: [T, dh]
      transpose_blocks(ds, tt, 1, T, T, 1);                        // dS^T
      gemm_nn(tt, T, q + off, H, dk + off, H, T, dh, T);           // dK = dS^T Q: [T, dh]
    }
  }
}

// Natural log for x > 0 (no libc): x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m-1)/(m+1)).
static float log1(float x) {
  if (!(x > 0)) return x == 0 ? -__builtin_inff() : __builtin_nanf("");
  if (x == __builtin_inff()) return x;
  int bits = __builtin_bit_cast(int, x);
  int e = ((bits >> 23) & 0xff) - 127;
  float m = __builtin_bit_cast(float, (bits & 0x007fffff) | 0x3f800000);  // [1, 2)
  if (e == -127) {  // subnormal: renormalise
    x *= 8388608.0f;  // 2^23
    bits = __builtin_bit_cast(int, x);
    e = ((bits >> 23) & 0xff) - 127 - 23;
    m = __builtin_bit_cast(float, (bits & 0x007fffff) | 0x3f800000);
  }
  if (m > 1.41421356f) {
    m *= 0.5f;
    e += 1;
  }
  const double s = ((double)m - 1.0) / ((double)m + 1.0), s2 = s * s;
  const double p = s * (2.0 + s2 * (2.0 / 3 + s2 * (2.0 / 5 + s2 * (2.0 / 7 + s2 * (2.0 / 9 + s2 * (2.0 / 11))))));
  return (float)(p + (double)e * 0.6931471805599453);
}

// log-sum-exp of one row (shifted by the row max).
static inline float row_logsumexp(const float* x, int n) {
  v128_t vmax = wasm_f32x4_splat(-__builtin_inff());
  int i = 0;
  for (; i + 4 <= n; i += 4) vmax = wasm_f32x4_pmax(vmax, wasm_v128_load(x + i));
  float mx = -__builtin_inff();
  for (int l = 0; l < 4; l++) {
    float e = l == 0 ? wasm_f32x4_extract_lane(vmax, 0) : l == 1 ? wasm_f32x4_extract_lane(vmax, 1)
            : l == 2 ? wasm_f32x4_extract_lane(vmax, 2) : wasm_f32x4_extract_lane(vmax, 3);
    mx = e > mx ? e : mx;
  }
  for (; i < n; i++) mx = x[i] > mx ? x[i] : mx;
  const v128_t vm = wasm_f32x4_splat(mx);
  v128_t vsum = wasm_f32x4_splat(0);
  i = 0;
  for (; i + 4 <= n; i += 4) vsum = wasm_f32x4_add(vsum, exp4(wasm_f32x4_sub(wasm_v128_load(x + i), vm)));
  float sum = hsum4(vsum);
  for (; i < n; i++) sum += exp1(x[i] - mx);
  return mx + log1(sum);
}

// loss[r] = logsumexp(logits[r]) - logits[r][labels[r]] ([rows, n] logits, int32 labels); a label outside [0, n)
// gives 0 and no gradient, like the composite's one-hot row of zeros.
EXPORT(softmax_xent_f32)
void softmax_xent_f32(const float* logits, const int* labels, float* loss, int rows, int n) {
  for (int r = 0; r < rows; r++) {
    const float* x = logits + r * n;
    const float lse = row_logsumexp(x, n);
    const int l = labels[r];
    loss[r] = (l >= 0 && l < n) ? lse - x[l] : 0.0f;
  }
}

// dlogits[r] = dy[r] * (softmax(logits[r]) - onehot(labels[r])).
EXPORT(softmax_xent_grad_f32)
void softmax_xent_grad_f32(const float* dy, const float* logits, const int* labels, float* dlogits, int rows, int n) {
  for (int r = 0; r < rows; r++) {
    const float* x = logits + r * n;
    float* d = dlogits + r * n;
    const int l = labels[r];
    if (l < 0 || l >= n) {
      for (int i = 0; i < n; i++) d[i] = 0;
      continue;
    }
    const float lse = row_logsumexp(x, n);
    const v128_t vl = wasm_f32x4_splat(lse), vd = wasm_f32x4_splat(dy[r]);
    int i = 0;
    for (; i + 4 <= n; i += 4) wasm_v128_store(d + i, wasm_f32x4_mul(exp4(wasm_f32x4_sub(wasm_v128_load(x + i), vl)), vd));
    for (; i < n; i++) d[i] = exp1(x[i] - lse) * dy[r];
    d[l] -= dy[r];
  }
}

// Sum of x^2 over n floats.
EXPORT(sum_squares_f32)
float sum_squares_f32(const float* x, int n) {
  v128_t a0 = wasm_f32x4_splat(0), a1 = a0;
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    v128_t u = wasm_v128_load(x + i), w = wasm_v128_load(x + i + 4);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(u, u));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(w, w));
  }
  float s = hsum4(wasm_f32x4_add(a0, a1));
  for (; i < n; i++) s += x[i] * x[i];
  return s;
}

// One AdamW / LAMB step (google-research/albert: no bias correction) on n floats, in the operation order of the
// trainer's composite update: m' = b1 m + (1-b1) g; v' = b2 v + (1-b2) g^2; u = m' / (sqrt(v') + eps) + wd w;
// r = |w| / |u| when layer_adapt and both norms > 0, else 1; w' = w - (r lr) u.
EXPORT(adam_update_f32)
void adam_update_f32(const float* w, const float* m, const float* v, const float* g, float* w_out, float* m_out,
                     float* v_out, int n, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
                     float eps, float wd, float lr, int layer_adapt) {
  const v128_t b1 = wasm_f32x4_splat(beta1), c1 = wasm_f32x4_splat(one_minus_beta1);
  const v128_t b2 = wasm_f32x4_splat(beta2), c2 = wasm_f32x4_splat(one_minus_beta2);
  const v128_t ve = wasm_f32x4_splat(eps), vwd = wasm_f32x4_splat(wd);
  v128_t ww = wasm_f32x4_splat(0), uu = ww;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i), wi = wasm_v128_load(w + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(b1, wasm_v128_load(m + i)), wasm_f32x4_mul(c1, gi));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(b2, wasm_v128_load(v + i)), wasm_f32x4_mul(c2, wasm_f32x4_mul(gi, gi)));
    v128_t u = wasm_f32x4_div(mi, wasm_f32x4_add(wasm_f32x4_sqrt(vi), ve));
    if (wd != 0) u = wasm_f32x4_add(u, wasm_f32x4_mul(vwd, wi));
    wasm_v128_store(m_out + i, mi);
    wasm_v128_store(v_out + i, vi);
    wasm_v128_store(w_out + i, u);
    ww = wasm_f32x4_add(ww, wasm_f32x4_mul(wi, wi));
    uu = wasm_f32x4_add(uu, wasm_f32x4_mul(u, u));
  }
  float wsq = hsum4(ww), usq = hsum4(uu);
  for (; i < n; i++) {
    const float gi = g[i];
    const float mi = beta1 * m[i] + one_minus_beta1 * gi;
    const float vi = beta2 * v[i] + one_minus_beta2 * (gi * gi);
    float u = mi / (__builtin_sqrtf(vi) + eps);
    if (wd != 0) u += wd * w[i];
    m_out[i] = mi;
    v_out[i] = vi;
    w_out[i] = u;
    wsq += w[i] * w[i];
    usq += u * u;
  }
  float ratio = 1.0f;
  if (layer_adapt) {
    const float wn = __builtin_sqrtf(wsq), un = __builtin_sqrtf(usq);
    if (wn > 0 && un > 0) ratio = wn / un;
  }
  const v128_t step = wasm_f32x4_splat(ratio * lr);
  i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(w_out + i, wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(step, wasm_v128_load(w_out + i))));
  for (; i < n; i++) w_out[i] = w[i] - (ratio * lr) * w_out[i];
}

#define GEMM_KB 128
#define GEMM_NB 256

// cr[j] += (lo, hi)[j] for j < nr (nr <= 8), without spilling the vectors to memory.
static inline void add_partial_row(float* cr, v128_t lo, v128_t hi, int nr) {
  if (nr > 0) cr[0] += wasm_f32x4_extract_lane(lo, 0);
  if (nr > 1) cr[1] += wasm_f32x4_extract_lane(lo, 1);
  if (nr > 2) cr[2] += wasm_f32x4_extract_lane(lo, 2);
  if (nr > 3) cr[3] += wasm_f32x4_extract_lane(lo, 3);
  if (nr > 4) cr[4] += wasm_f32x4_extract_lane(hi, 0);
  if (nr > 5) cr[5] += wasm_f32x4_extract_lane(hi, 1);
  if (nr > 6) cr[6] += wasm_f32x4_extract_lane(hi, 2);
  if (nr > 7) cr[7] += wasm_f32x4_extract_lane(hi, 3);
}

// C[M][N] = op(A) op(B), any transposes given as element strides: op(A)[i][k] = A[i * sai + k * sak],
// op(B)[k][j] = B[k * sbk + j * sbj]; C row-major with row stride ldc, overwritten (with bias[j] added to every
// row when has_bias). Goto-style: blocks of 128 k
// and 256 j; the A block is packed into 4-row panels and the B block into 8-column panels (contiguous: no
// transposes, no cache-set conflicts from power-of-two strides), then 4x8 register tiles accumulate into C.
// scratch: (M rounded up to 4) * 128 + 128 * 256 floats.
EXPORT(gemm_f32)
void gemm_f32(const float* A, int sai, int sak, const float* B, int sbk, int sbj, float* C, int ldc, int M, int N, int K,
              const float* bias, int has_bias, float* scratch) {
  const int mp = (M + 3) & ~3;
  float* ap = scratch;                 // [mp / 4][kb][4]
  float* bp = scratch + mp * GEMM_KB;  // [256 / 8][kb][8]
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) C[i * ldc + j] = has_bias ? bias[j] : 0.0f;
  for (int k0 = 0; k0 < K; k0 += GEMM_KB) {
    const int kb = K - k0 < GEMM_KB ? K - k0 : GEMM_KB;
    for (int it = 0; it < mp; it += 4) {
      float* dst = ap + it * kb;
      for (int p = 0; p < kb; p++) {
        const float* src = A + (k0 + p) * sak + it * sai;
        for (int r = 0; r < 4; r++) dst[p * 4 + r] = it + r < M ? src[r * sai] : 0.0f;
      }
    }
    for (int j0 = 0; j0 < N; j0 += GEMM_NB) {
      const int nb = N - j0 < GEMM_NB ? N - j0 : GEMM_NB;
      const int nbp = (nb + 7) & ~7;
      for (int jt = 0; jt < nbp; jt += 8) {
        float* dst = bp + jt * kb;
        for (int p = 0; p < kb; p++) {
          const float* src = B + (k0 + p) * sbk + (j0 + jt) * sbj;
          for (int c = 0; c < 8; c++) dst[p * 8 + c] = jt + c < nb ? src[c * sbj] : 0.0f;
        }
      }
      for (int it = 0; it < mp; it += 4) {
        const float* a = ap + it * kb;
        const int mr = M - it < 4 ? M - it : 4;
        for (int jt = 0; jt < nbp; jt += 8) {
          const float* b = bp + jt * kb;
          float* c = C + it * ldc + j0 + jt;
          const int nr = nb - jt < 8 ? nb - jt : 8;
          v128_t z = wasm_f32x4_splat(0);
          v128_t s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;
          for (int p = 0; p < kb; p++) {
            v128_t b0 = wasm_v128_load(b + p * 8), b1 = wasm_v128_load(b + p * 8 + 4);
            v128_t x0 = wasm_v128_load32_splat(a + p * 4), x1 = wasm_v128_load32_splat(a + p * 4 + 1);
            v128_t x2 = wasm_v128_load32_splat(a + p * 4 + 2), x3 = wasm_v128_load32_splat(a + p * 4 + 3);
            s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x0, b0));
            s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x0, b1));
            s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x1, b0));
            s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x1, b1));
            s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(x2, b0));
            s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(x2, b1));
            s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(x3, b0));
            s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(x3, b1));
          }
          if (mr == 4 && nr == 8) {
            float* c1 = c + ldc;
            float* c2 = c1 + ldc;
            float* c3 = c2 + ldc;
            wasm_v128_store(c, wasm_f32x4_add(wasm_v128_load(c), s00));
            wasm_v128_store(c + 4, wasm_f32x4_add(wasm_v128_load(c + 4), s01));
            wasm_v128_store(c1, wasm_f32x4_add(wasm_v128_load(c1), s10));
            wasm_v128_store(c1 + 4, wasm_f32x4_add(wasm_v128_load(c1 + 4), s11));
            wasm_v128_store(c2, wasm_f32x4_add(wasm_v128_load(c2), s20));
            wasm_v128_store(c2 + 4, wasm_f32x4_add(wasm_v128_load(c2 + 4), s21));
            wasm_v128_store(c3, wasm_f32x4_add(wasm_v128_load(c3), s30));
            wasm_v128_store(c3 + 4, wasm_f32x4_add(wasm_v128_load(c3 + 4), s31));
          } else {
            // edge tile: add its valid part
            add_partial_row(c, s00, s01, nr);
            if (mr > 1) add_partial_row(c + ldc, s10, s11, nr);
            if (mr > 2) add_partial_row(c + 2 * ldc, s20, s21, nr);
            if (mr > 3) add_partial_row(c + 3 * ldc, s30, s31, nr);
          }
        }
      }
    }
  }
}
