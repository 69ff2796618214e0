import * as tf from '@tensorflow/tfjs-core';

/** Rows of `hidden` at `positions`: `[B, T, H]`, int32 `[B, P]` → `[B, P, H]` (Google's `gather_indexes`). */
export function gatherPositions(hidden: tf.Tensor3D, positions: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, t, h] = hidden.shape;
    const p = positions.shape[1];
    const offsets = tf.reshape(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(t, 'int32')), [b, 1]); // [B, 1]
    const flatIdx = tf.reshape(tf.add(tf.cast(positions, 'int32'), offsets), [-1]); // [B, P] -> [B*P]
    const flat = tf.reshape(hidden, [b * t, h]); // [B, T, H] -> [B*T, H]
    return tf.reshape(tf.gather(flat, flatIdx), [b, p, h]); // [B*P, H] -> [B, P, H]
  });
}
