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
  v128_t e = exp4(wasm_f32x4_mul(wasm_f32x4_min(ax, wasm_f32x4_splat(9.0f)), wasm_f32x4_splat(2.0f)));
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
