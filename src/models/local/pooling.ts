/**
 * @module models/local/pooling
 * Turns a transformer's last hidden states into one vector per text. Which token summarises a text is
 * a property of how the model was trained: bge was trained on the `[CLS]` state, sentence-transformers
 * MiniLM on the mean over real (unpadded) tokens. Using the wrong one still yields vectors, just worse
 * ones, so the catalog names the pooling per model.
 */

/** Pools `hidden` (`[batch, seq, dims]`, row-major) into `[batch, dims]`, optionally L2-normalised. */
export function poolHiddenStates(
  hidden: Float32Array,
  mask: ArrayLike<bigint | number>,
  shape: readonly [batch: number, seq: number, dims: number],
  pooling: 'cls' | 'mean',
  normalize: boolean,
): Float32Array {
  const [batch, seq, dims] = shape;
  const out = new Float32Array(batch * dims);
  for (let row = 0; row < batch; row++) {
    const target = out.subarray(row * dims, (row + 1) * dims);
    if (pooling === 'cls') {
      target.set(hidden.subarray(row * seq * dims, row * seq * dims + dims));
    } else {
      let count = 0;
      for (let token = 0; token < seq; token++) {
        if (Number(mask[row * seq + token]) === 0) continue;
        count++;
        const offset = (row * seq + token) * dims;
        for (let dim = 0; dim < dims; dim++)
          target[dim] = (target[dim] as number) + (hidden[offset + dim] as number);
      }
      // sentence-transformers clamps the token count at 1e-9; an all-padding row stays zero.
      const divisor = Math.max(count, 1e-9);
      for (let dim = 0; dim < dims; dim++) target[dim] = (target[dim] as number) / divisor;
    }
    if (normalize) normalizeInPlace(target);
  }
  return out;
}

/** Scales a vector to unit length (as torch's `normalize`, with eps 1e-12); zero vectors stay zero. */
export function normalizeInPlace(vector: Float32Array): void {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.max(Math.sqrt(sum), 1e-12);
  for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] as number) / norm;
}
