/**
 * @module retrieval/lexical/memory/segment
 * One immutable postings segment of the in-process lexical index (ADR 0037): a term dictionary and,
 * per term, blocks of up to {@link BLOCK_SIZE} postings. A block stores its doc ids as varint deltas
 * and its term frequencies as varints, and keeps in the clear its last doc id (to skip it without
 * decoding), its largest term frequency and its smallest document length. Those two bound every
 * posting's BM25 term weight from above for any average length, because the weight grows with tf and
 * falls with length; an average length is only known per caller (ADR 0064), so the bound cannot be
 * stored as a score.
 *
 * Each term also keeps its document frequency per access set, counted when the segment is built and
 * recounted when documents of the segment are deleted, so a caller's df is a sum over a few integers
 * and never a walk over postings.
 */

/** Postings per block. */
export const BLOCK_SIZE = 128;

/** Per-term document frequencies by access set (indexes into the owning index's set table). */
interface SetFrequencies {
  readonly start: Int32Array;
  readonly sets: Int32Array;
  readonly counts: Int32Array;
  /** Live df of each term over every set. */
  readonly total: Int32Array;
}

/** An immutable postings segment. Doc ids are the owning index's internal ids. */
export class Segment {
  /** Term → ordinal. */
  readonly terms: Map<string, number>;
  /** Blocks of term t are [termBlockStart[t], termBlockStart[t + 1]). */
  readonly termBlockStart: Int32Array;
  readonly termPostings: Int32Array;
  readonly termMaxTf: Int32Array;
  readonly termMinLength: Int32Array;
  readonly blockLastDoc: Int32Array;
  readonly blockOffset: Uint32Array;
  readonly blockMaxTf: Int32Array;
  readonly blockMinLength: Int32Array;
  readonly bytes: Uint8Array;
  /** Whether some of this segment's documents were deleted since its frequencies were counted. */
  dirty = false;
  /** The owning index's internal ids of this segment's documents: [firstDoc, endDoc). */
  firstDoc = 0;
  endDoc = 0;
  private frequencies: SetFrequencies;

  constructor(parts: {
    terms: Map<string, number>;
    termBlockStart: Int32Array;
    termPostings: Int32Array;
    termMaxTf: Int32Array;
    termMinLength: Int32Array;
    blockLastDoc: Int32Array;
    blockOffset: Uint32Array;
    blockMaxTf: Int32Array;
    blockMinLength: Int32Array;
    bytes: Uint8Array;
    frequencies: SetFrequencies;
  }) {
    this.terms = parts.terms;
    this.termBlockStart = parts.termBlockStart;
    this.termPostings = parts.termPostings;
    this.termMaxTf = parts.termMaxTf;
    this.termMinLength = parts.termMinLength;
    this.blockLastDoc = parts.blockLastDoc;
    this.blockOffset = parts.blockOffset;
    this.blockMaxTf = parts.blockMaxTf;
    this.blockMinLength = parts.blockMinLength;
    this.bytes = parts.bytes;
    this.frequencies = parts.frequencies;
  }

  /** Postings stored (deleted documents included until the next rebuild). */
  get postingCount(): number {
    let total = 0;
    for (let term = 0; term < this.termPostings.length; term++) total += this.termPostings[term]!;
    return total;
  }

  /** Live df of a term over the readable sets (`readable` undefined: every set). */
  documentFrequency(term: number, readable: Uint8Array | undefined): number {
    const { start, sets, counts, total } = this.frequencies;
    if (readable === undefined) return total[term]!;
    let df = 0;
    for (let entry = start[term]!; entry < start[term + 1]!; entry++) {
      if (readable[sets[entry]!] === 1) df += counts[entry]!;
    }
    return df;
  }

  /** Decodes block `block` of a term into `docs`/`tfs`; returns how many postings it holds. */
  decodeBlock(term: number, block: number, docs: Int32Array, tfs: Int32Array): number {
    const first = this.termBlockStart[term]!;
    const count =
      block === this.termBlockStart[term + 1]! - 1
        ? this.termPostings[term]! - (block - first) * BLOCK_SIZE
        : BLOCK_SIZE;
    const bytes = this.bytes;
    let offset = this.blockOffset[block]!;
    let doc = block === first ? -1 : this.blockLastDoc[block - 1]!;
    for (let index = 0; index < count; index++) {
      let value = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = bytes[offset++]!;
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      doc += value;
      docs[index] = doc;
      value = 0;
      shift = 0;
      do {
        byte = bytes[offset++]!;
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte >= 0x80);
      tfs[index] = value;
    }
    return count;
  }

  /**
   * Recounts the per-set document frequencies without the deleted documents. Called after deletions,
   * off the query path; costs one pass over the segment's postings.
   */
  recount(deleted: Uint8Array, setOf: Int32Array, setCount: number): void {
    const termCount = this.termPostings.length;
    const docs = new Int32Array(BLOCK_SIZE);
    const tfs = new Int32Array(BLOCK_SIZE);
    const scratch = new Int32Array(setCount);
    const touched: number[] = [];
    const start = new Int32Array(termCount + 1);
    const sets: number[] = [];
    const counts: number[] = [];
    const total = new Int32Array(termCount);
    for (let term = 0; term < termCount; term++) {
      start[term] = sets.length;
      for (let block = this.termBlockStart[term]!; block < this.termBlockStart[term + 1]!; block++) {
        const count = this.decodeBlock(term, block, docs, tfs);
        for (let index = 0; index < count; index++) {
          const doc = docs[index]!;
          if (deleted[doc] === 1) continue;
          const set = setOf[doc]!;
          if (scratch[set] === 0) touched.push(set);
          scratch[set]!++;
          total[term]!++;
        }
      }
      touched.sort((left, right) => left - right);
      for (const set of touched) {
        sets.push(set);
        counts.push(scratch[set]!);
        scratch[set] = 0;
      }
      touched.length = 0;
    }
    start[termCount] = sets.length;
    this.frequencies = { start, sets: Int32Array.from(sets), counts: Int32Array.from(counts), total };
    this.dirty = false;
  }

  /** Bytes held by this segment's arrays, plus an estimate for the term dictionary. */
  memoryBytes(): number {
    let dictionary = 0;
    for (const term of this.terms.keys()) dictionary += 48 + 2 * term.length;
    const { start, sets, counts, total } = this.frequencies;
    return (
      dictionary +
      this.termBlockStart.byteLength +
      this.termPostings.byteLength +
      this.termMaxTf.byteLength +
      this.termMinLength.byteLength +
      this.blockLastDoc.byteLength +
      this.blockOffset.byteLength +
      this.blockMaxTf.byteLength +
      this.blockMinLength.byteLength +
      this.bytes.byteLength +
      start.byteLength +
      sets.byteLength +
      counts.byteLength +
      total.byteLength
    );
  }
}

/** Growable typed-array helpers for the builder. */
class IntList {
  values = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  finish(): Int32Array {
    return this.values.slice(0, this.length);
  }
}

/**
 * Builds a {@link Segment} from terms added one at a time, each with its postings in ascending doc
 * order. `lengthOf` and `setOf` are the owning index's per-document length and access-set arrays.
 */
export class SegmentBuilder {
  private readonly terms = new Map<string, number>();
  private readonly termBlockStart = new IntList();
  private readonly termPostings = new IntList();
  private readonly termMaxTf = new IntList();
  private readonly termMinLength = new IntList();
  private readonly blockLastDoc = new IntList();
  private readonly blockOffset = new IntList();
  private readonly blockMaxTf = new IntList();
  private readonly blockMinLength = new IntList();
  private readonly setStart = new IntList();
  private readonly setIds = new IntList();
  private readonly setCounts = new IntList();
  private readonly totals = new IntList();
  private bytes = new Uint8Array(1 << 16);
  private byteLength = 0;
  private readonly scratch: Int32Array;

  constructor(
    private readonly lengthOf: Int32Array,
    private readonly setOf: Int32Array,
    setCount: number,
  ) {
    this.scratch = new Int32Array(setCount);
  }

  /** Adds a term's postings; `docs` ascending, no duplicates, none empty. */
  addTerm(term: string, docs: ArrayLike<number>, tfs: ArrayLike<number>): void {
    if (docs.length === 0) return;
    if (this.terms.has(term)) throw new Error(`term ${term} added twice to a segment`);
    this.terms.set(term, this.terms.size);
    this.termBlockStart.push(this.blockLastDoc.length);
    this.termPostings.push(docs.length);
    let termMaxTf = 0;
    let termMinLength = 0x7fffffff;
    let previous = -1;
    const touched: number[] = [];
    for (let first = 0; first < docs.length; first += BLOCK_SIZE) {
      const end = Math.min(first + BLOCK_SIZE, docs.length);
      this.blockOffset.push(this.byteLength);
      let maxTf = 0;
      let minLength = 0x7fffffff;
      for (let index = first; index < end; index++) {
        const doc = docs[index]!;
        const tf = tfs[index]!;
        if (doc <= previous) throw new Error(`postings of ${term} are not in ascending order`);
        this.writeVarint(doc - previous);
        this.writeVarint(tf);
        previous = doc;
        if (tf > maxTf) maxTf = tf;
        const length = this.lengthOf[doc]!;
        if (length < minLength) minLength = length;
        const set = this.setOf[doc]!;
        if (this.scratch[set] === 0) touched.push(set);
        this.scratch[set]!++;
      }
      this.blockLastDoc.push(previous);
      this.blockMaxTf.push(maxTf);
      this.blockMinLength.push(minLength);
      if (maxTf > termMaxTf) termMaxTf = maxTf;
      if (minLength < termMinLength) termMinLength = minLength;
    }
    this.termMaxTf.push(termMaxTf);
    this.termMinLength.push(termMinLength);
    this.setStart.push(this.setIds.length);
    touched.sort((left, right) => left - right);
    for (const set of touched) {
      this.setIds.push(set);
      this.setCounts.push(this.scratch[set]!);
      this.scratch[set] = 0;
    }
    this.totals.push(docs.length);
  }

  /** The finished segment. */
  finish(): Segment {
    this.termBlockStart.push(this.blockLastDoc.length);
    this.setStart.push(this.setIds.length);
    return new Segment({
      terms: this.terms,
      termBlockStart: this.termBlockStart.finish(),
      termPostings: this.termPostings.finish(),
      termMaxTf: this.termMaxTf.finish(),
      termMinLength: this.termMinLength.finish(),
      blockLastDoc: this.blockLastDoc.finish(),
      blockOffset: Uint32Array.from(this.blockOffset.finish()),
      blockMaxTf: this.blockMaxTf.finish(),
      blockMinLength: this.blockMinLength.finish(),
      bytes: this.bytes.slice(0, this.byteLength),
      frequencies: {
        start: this.setStart.finish(),
        sets: this.setIds.finish(),
        counts: this.setCounts.finish(),
        total: this.totals.finish(),
      },
    });
  }

  private writeVarint(value: number): void {
    if (this.byteLength + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.byteLength++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.byteLength++] = rest;
  }
}
