/**
 * Lucene stores a document's length in one byte (`SmallFloat.intToByte4`): exact below 24, then only
 * the four most significant bits survive, rounded down (161 reads back as 152). BM25 then uses the
 * decoded value while avgdl stays exact. This emulation lets the reference index reproduce Anserini's
 * numbers to the fourth decimal; our SQL keeps exact lengths, which is the textbook formula.
 */

// Values below this are stored as is (Lucene's NUM_FREE_VALUES = 255 − longToInt4(Integer.MAX_VALUE)).
const EXACT_BELOW = 24;

/** The document length Lucene's BM25 sees after its norm encoding round trip. */
export function luceneDocumentLength(length: number): number {
  if (length < EXACT_BELOW) return length;
  return EXACT_BELOW + int4ToLength(lengthToInt4(length - EXACT_BELOW));
}

/** Lucene's `SmallFloat.longToInt4`: a 3-bit mantissa with an implicit leading bit, and a shift. */
function lengthToInt4(value: number): number {
  const bits = 32 - Math.clz32(value);
  if (bits < 4) return value;
  const shift = bits - 4;
  return ((value >>> shift) & 0x07) | ((shift + 1) << 3);
}

/** Lucene's `SmallFloat.int4ToLong`. */
function int4ToLength(encoded: number): number {
  const mantissa = encoded & 0x07;
  const shift = (encoded >>> 3) - 1;
  return shift === -1 ? mantissa : (mantissa | 0x08) * 2 ** shift;
}
