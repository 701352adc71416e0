/**
 * @module retrieval/lexical/memory/lexical-index
 * A tenant's in-process lexical index (ADR 0037): per-chunk length, access set and deletion flag over
 * typed arrays, immutable postings segments (`segment.ts`), and exact BM25 top-k with MaxScore pruning.
 * It computes what `bm25-sql.ts` computes — the same formula, in the same operation order, over the
 * caller's own statistics (ADR 0064: N, total length and df summed over the sets the caller may read) —
 * so its top-k equals the SQL's up to ties and floating-point summation order.
 *
 * Access checks and filters are applied inside the traversal: a document is scored only if it is live,
 * in a readable set and (with filters) in the allowed set. Mutations happen only through
 * {@link LexicalIndex.apply}, which is synchronous, so a search never sees half of a refresh.
 */
import { bm25Idf } from '../bm25.ts';
import type { Bm25Parameters, LexicalHit } from '../bm25-sql.ts';
import { BLOCK_SIZE, type Segment, SegmentBuilder } from './segment.ts';

/** A chunk as the index needs it. */
export interface IndexedChunk {
  readonly chunkId: number;
  readonly aclSetId: number;
  readonly length: number;
}

/** Postings of one term over a batch of chunks, in ascending chunk id order. */
export interface TermPostings {
  readonly term: string;
  readonly chunkIds: ArrayLike<number>;
  readonly tfs: ArrayLike<number>;
}

/** What one refresh changes. */
export interface IndexChange {
  /** Access sets, all of them or only new ones: id and principals. */
  readonly sets: readonly { readonly id: number; readonly principals: readonly string[] }[];
  /** Chunk ids to remove (unknown ids are ignored). */
  readonly removed: readonly number[];
  /** New chunks (with at least one term), in ascending chunk id order. */
  readonly added: readonly IndexedChunk[];
  /** Postings of the added chunks, any term order. */
  readonly postings: Iterable<TermPostings>;
}

/** A segment being built for a refresh; see {@link LexicalIndex.stage}. */
export class StagedSegment {
  private readonly docs: number[] = [];
  private readonly tfs: number[] = [];
  private readonly pending = new Map<string, { docs: number[]; tfs: number[] }>();

  constructor(
    private readonly builder: SegmentBuilder,
    readonly docByChunk: ReadonlyMap<number, number>,
    readonly firstDoc: number,
    readonly endDoc: number,
  ) {}

  /** Adds all of one term's postings over the staged chunks, ascending chunk id; others are dropped. */
  addTerm(term: string, chunkIds: ArrayLike<number>, tfs: ArrayLike<number>): void {
    this.docs.length = 0;
    this.tfs.length = 0;
    this.collect(chunkIds, tfs, this.docs, this.tfs);
    this.builder.addTerm(term, this.docs, this.tfs);
  }

  /**
   * Adds part of a term's postings; parts of one term must come in ascending chunk id order across
   * calls (batches of ascending chunk ids). Buffered until the segment is finished.
   */
  appendTerm(term: string, chunkIds: ArrayLike<number>, tfs: ArrayLike<number>): void {
    let list = this.pending.get(term);
    if (list === undefined) {
      list = { docs: [], tfs: [] };
      this.pending.set(term, list);
    }
    this.collect(chunkIds, tfs, list.docs, list.tfs);
  }

  /** The finished segment (called by {@link LexicalIndex.commit}). */
  finish(): Segment {
    for (const [term, list] of this.pending) this.builder.addTerm(term, list.docs, list.tfs);
    this.pending.clear();
    return this.builder.finish();
  }

  private collect(chunkIds: ArrayLike<number>, tfs: ArrayLike<number>, docs: number[], into: number[]): void {
    for (let index = 0; index < chunkIds.length; index++) {
      const doc = this.docByChunk.get(chunkIds[index]!);
      // Postings of chunks this refresh does not add (an inconsistent read) are dropped.
      if (doc === undefined) continue;
      docs.push(doc);
      into.push(tfs[index]!);
    }
  }
}

/** A search over the index. */
export interface MemorySearch {
  readonly terms: readonly string[];
  /** Caller's principals; undefined: every set is readable. */
  readonly principals?: readonly string[];
  /** Chunk ids the filters allow; undefined: no filter. */
  readonly allowed?: Iterable<number>;
  readonly limit: number;
}

/** Sizes and memory of the index. */
export interface LexicalIndexStats {
  readonly chunks: number;
  readonly deleted: number;
  readonly segments: number;
  readonly terms: number;
  readonly postings: number;
  readonly memoryBytes: number;
}

// Bounds are computed in a different order from the scores; this slack keeps them upper bounds.
const BOUND_SLACK = 1 + 1e-9;

/** A tenant's in-process lexical index. */
export class LexicalIndex {
  /** The knowledge generation the index reflects (ADR 0026); set by whoever refreshes it. */
  generation = '';
  private chunkIds = new Float64Array(1024);
  private lengths = new Int32Array(1024);
  private setOf = new Int32Array(1024);
  private deleted = new Uint8Array(1024);
  private docCount = 0;
  private deletedCount = 0;
  private readonly docByChunk = new Map<number, number>();
  private readonly segments: Segment[] = [];
  private readonly setIndex = new Map<number, number>();
  private readonly setPrincipals: (readonly string[])[] = [];
  private setChunks = new Float64Array(16);
  private setLength = new Float64Array(16);

  constructor(readonly parameters: Bm25Parameters) {}

  /** Chunk ids the index holds (live ones), with their access set ids. */
  liveChunks(): Map<number, number> {
    const result = new Map<number, number>();
    const setIds = [...this.setIndex.keys()];
    for (let doc = 0; doc < this.docCount; doc++) {
      if (this.deleted[doc] === 0) result.set(this.chunkIds[doc]!, setIds[this.setOf[doc]!]!);
    }
    return result;
  }

  /** Number of segments and share of deleted documents: the refresher's rebuild policy reads them. */
  get shape(): { readonly segments: number; readonly deletedRatio: number } {
    return {
      segments: this.segments.length,
      deletedRatio: this.docCount === 0 ? 0 : this.deletedCount / this.docCount,
    };
  }

  /** Registers access sets (new ones are appended; nothing a search reads changes). */
  addSets(sets: readonly { readonly id: number; readonly principals: readonly string[] }[]): void {
    for (const set of sets) this.ensureSet(set.id, set.principals);
  }

  /**
   * Starts a segment for new chunks (ascending chunk id, each with at least one term, sets already
   * added; `replaced` are indexed chunks the same commit removes). Nothing a search reads changes until {@link commit}, so a refresh may fetch the postings
   * over several awaits while searches run on the index as it was.
   */
  stage(added: readonly IndexedChunk[], replaced: ReadonlySet<number> = new Set()): StagedSegment {
    const firstDoc = this.docCount;
    this.grow(firstDoc + added.length);
    const docByChunk = new Map<number, number>();
    let doc = firstDoc;
    for (const chunk of added) {
      if (chunk.length <= 0 || docByChunk.has(chunk.chunkId)) continue;
      if (this.docByChunk.has(chunk.chunkId) && !replaced.has(chunk.chunkId))
        throw new Error(`chunk ${chunk.chunkId} is already indexed`);
      const set = this.setIndex.get(chunk.aclSetId);
      if (set === undefined) throw new Error(`access set ${chunk.aclSetId} is unknown to the index`);
      this.chunkIds[doc] = chunk.chunkId;
      this.lengths[doc] = chunk.length;
      this.setOf[doc] = set;
      this.deleted[doc] = 0;
      docByChunk.set(chunk.chunkId, doc++);
    }
    return new StagedSegment(
      new SegmentBuilder(this.lengths, this.setOf, this.setPrincipals.length),
      docByChunk,
      firstDoc,
      doc,
    );
  }

  /**
   * Makes a refresh visible at once: removes chunks (the deletion bitmap; their segments recount
   * their frequencies), then adds the staged segment. Synchronous, so no search sees half of it.
   */
  commit(staged: StagedSegment | undefined, removed: Iterable<number>, generation: string): void {
    if (staged !== undefined && staged.firstDoc !== this.docCount) {
      throw new Error('a segment was staged on an index that changed since');
    }
    for (const chunkId of removed) {
      const doc = this.docByChunk.get(chunkId);
      if (doc === undefined) continue;
      this.docByChunk.delete(chunkId);
      this.deleted[doc] = 1;
      this.deletedCount++;
      this.setChunks[this.setOf[doc]!]!--;
      this.setLength[this.setOf[doc]!]! -= this.lengths[doc]!;
      for (const segment of this.segments) {
        if (segment.firstDoc <= doc && doc < segment.endDoc) segment.dirty = true;
      }
    }
    if (staged !== undefined && staged.endDoc > staged.firstDoc) {
      for (const [chunkId, doc] of staged.docByChunk) {
        this.docByChunk.set(chunkId, doc);
        this.setChunks[this.setOf[doc]!]!++;
        this.setLength[this.setOf[doc]!]! += this.lengths[doc]!;
      }
      const segment = staged.finish();
      segment.firstDoc = staged.firstDoc;
      segment.endDoc = staged.endDoc;
      this.segments.push(segment);
      this.docCount = staged.endDoc;
    }
    for (const segment of this.segments) {
      if (segment.dirty) segment.recount(this.deleted, this.setOf, this.setPrincipals.length);
    }
    this.generation = generation;
  }

  /** Applies a whole change at once (tests and small refreshes). */
  apply(change: IndexChange, generation = this.generation): void {
    this.addSets(change.sets);
    const staged = this.stage(change.added, new Set(change.removed));
    for (const postings of change.postings) staged.addTerm(postings.term, postings.chunkIds, postings.tfs);
    this.commit(staged, change.removed, generation);
  }

  /** Exact BM25 top-k, score descending then chunk id ascending, as `searchBm25` orders it. */
  search(request: MemorySearch): LexicalHit[] {
    const limit = request.limit;
    if (limit <= 0) return [];
    const readable = request.principals === undefined ? undefined : this.readableSets(request.principals);
    let n = 0;
    let total = 0;
    for (let set = 0; set < this.setPrincipals.length; set++) {
      if (readable === undefined || readable[set] === 1) {
        n += this.setChunks[set]!;
        total += this.setLength[set]!;
      }
    }
    if (n === 0) return [];
    const allowed = request.allowed === undefined ? undefined : this.allowedDocs(request.allowed);
    const queryCounts = new Map<string, number>();
    for (const term of request.terms) queryCounts.set(term, (queryCounts.get(term) ?? 0) + 1);
    const { k1, b } = this.parameters;
    const avgdl = total / n;
    const cursors: Cursor[] = [];
    // Each distinct query term has a slot; a document's score is summed in slot order, whatever order
    // its postings were visited in, so equal scores are bit-equal and the chunk-id tie-break holds.
    let slot = -1;
    for (const [term, count] of queryCounts) {
      slot++;
      let df = 0;
      for (const segment of this.segments) {
        const ordinal = segment.terms.get(term);
        if (ordinal !== undefined) df += segment.documentFrequency(ordinal, readable);
      }
      if (df === 0) continue;
      const weight = count * bm25Idf(n, df);
      for (const segment of this.segments) {
        const ordinal = segment.terms.get(term);
        if (ordinal === undefined) continue;
        const bound =
          termWeight(weight, segment.termMaxTf[ordinal]!, segment.termMinLength[ordinal]!, k1, b, avgdl) *
          BOUND_SLACK;
        cursors.push(new Cursor(segment, ordinal, weight, bound, slot));
      }
    }
    if (cursors.length === 0) return [];
    if (cursors.length > EXHAUSTIVE_ABOVE) {
      return this.exhaustive(cursors, { readable, allowed, limit, k1, b, avgdl });
    }
    return this.maxScore(cursors, { readable, allowed, limit, k1, b, avgdl, slots: slot + 1 });
  }

  /** Sizes and the bytes held. */
  stats(): LexicalIndexStats {
    let postings = 0;
    let memoryBytes =
      this.chunkIds.byteLength +
      this.lengths.byteLength +
      this.setOf.byteLength +
      this.deleted.byteLength +
      this.setChunks.byteLength +
      this.setLength.byteLength +
      // A Map entry of number → number costs about 40 bytes in V8.
      this.docByChunk.size * 40;
    const terms = new Set<string>();
    for (const segment of this.segments) {
      postings += segment.postingCount;
      memoryBytes += segment.memoryBytes();
      for (const term of segment.terms.keys()) terms.add(term);
    }
    return {
      chunks: this.docCount - this.deletedCount,
      deleted: this.deletedCount,
      segments: this.segments.length,
      terms: terms.size,
      postings,
      memoryBytes,
    };
  }

  private maxScore(
    cursors: Cursor[],
    options: {
      readable: Uint8Array | undefined;
      allowed: Uint8Array | undefined;
      limit: number;
      k1: number;
      b: number;
      avgdl: number;
      slots: number;
    },
  ): LexicalHit[] {
    const { readable, allowed, limit, k1, b, avgdl } = options;
    const parts = new Float64Array(options.slots);
    const lengths = this.lengths;
    const deleted = this.deleted;
    const setOf = this.setOf;
    const chunkIds = this.chunkIds;
    // Ascending upper bounds; prefix[i] bounds what cursors 0..i can add together.
    cursors.sort((left, right) => left.bound - right.bound);
    const count = cursors.length;
    const prefix = new Float64Array(count);
    let sum = 0;
    for (let index = 0; index < count; index++) {
      sum += cursors[index]!.bound;
      prefix[index] = sum;
    }
    const heap = new TopK(limit, chunkIds);
    let threshold = Number.NEGATIVE_INFINITY;
    // Cursors below firstEssential cannot lift a document into the top k on their own.
    let firstEssential = 0;
    for (;;) {
      while (firstEssential < count && prefix[firstEssential]! < threshold) firstEssential++;
      if (firstEssential === count) break;
      let doc = NO_MORE;
      for (let index = firstEssential; index < count; index++) {
        const current = cursors[index]!.doc;
        if (current < doc) doc = current;
      }
      if (doc === NO_MORE) break;
      const eligible =
        deleted[doc] === 0 &&
        (readable === undefined || readable[setOf[doc]!] === 1) &&
        (allowed === undefined || allowed[doc] === 1);
      // `score` is the running sum the pruning compares; `parts` holds each term's share for the
      // final sum in slot order.
      let score = 0;
      if (eligible) parts.fill(0);
      const length = lengths[doc]!;
      for (let index = firstEssential; index < count; index++) {
        const cursor = cursors[index]!;
        if (cursor.doc !== doc) continue;
        if (eligible) {
          const part = termWeight(cursor.weight, cursor.tf, length, k1, b, avgdl);
          parts[cursor.slot] = part;
          score += part;
        }
        cursor.next();
      }
      if (!eligible) continue;
      let pruned = false;
      for (let index = firstEssential - 1; index >= 0; index--) {
        if (score + prefix[index]! < threshold) {
          pruned = true;
          break;
        }
        const cursor = cursors[index]!;
        // Block-max: a block whose best posting cannot lift the document is not decoded.
        const block = cursor.blockOf(doc);
        if (block === -1) continue;
        const blockBound =
          termWeight(
            cursor.weight,
            cursor.segment.blockMaxTf[block]!,
            cursor.segment.blockMinLength[block]!,
            k1,
            b,
            avgdl,
          ) * BOUND_SLACK;
        if (score + blockBound + (index > 0 ? prefix[index - 1]! : 0) < threshold) {
          pruned = true;
          break;
        }
        cursor.advanceTo(doc);
        if (cursor.doc === doc) {
          const part = termWeight(cursor.weight, cursor.tf, length, k1, b, avgdl);
          parts[cursor.slot] = part;
          score += part;
        }
      }
      if (pruned) continue;
      let exact = 0;
      for (let index = 0; index < parts.length; index++) exact += parts[index]!;
      if (heap.offer(doc, exact)) threshold = heap.threshold;
    }
    return heap.sorted().map(({ doc, score }) => ({ chunkId: chunkIds[doc]!, score }));
  }

  /**
   * Term at a time into a dense accumulator: for queries of many terms, where finding the next
   * candidate among hundreds of cursors costs more than scoring every posting.
   */
  private exhaustive(
    cursors: Cursor[],
    options: {
      readable: Uint8Array | undefined;
      allowed: Uint8Array | undefined;
      limit: number;
      k1: number;
      b: number;
      avgdl: number;
    },
  ): LexicalHit[] {
    const { readable, allowed, limit, k1, b, avgdl } = options;
    const scores = new Float64Array(this.docCount);
    const touched: number[] = [];
    // Cursors come in query-term order (segments within a term), so each document's contributions
    // are added in slot order, as maxScore sums them.
    for (const cursor of cursors) {
      for (; cursor.doc !== NO_MORE; cursor.next()) {
        const doc = cursor.doc;
        if (
          this.deleted[doc] === 1 ||
          (readable !== undefined && readable[this.setOf[doc]!] !== 1) ||
          (allowed !== undefined && allowed[doc] !== 1)
        )
          continue;
        // Every contribution is positive (Lucene's idf > 0), so 0 means not seen yet.
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += termWeight(cursor.weight, cursor.tf, this.lengths[doc]!, k1, b, avgdl);
      }
    }
    const heap = new TopK(limit, this.chunkIds);
    for (const doc of touched) heap.offer(doc, scores[doc]!);
    return heap.sorted().map(({ doc, score }) => ({ chunkId: this.chunkIds[doc]!, score }));
  }

  private readableSets(principals: readonly string[]): Uint8Array {
    const visible = new Set(['*', ...principals]);
    const readable = new Uint8Array(this.setPrincipals.length);
    for (let set = 0; set < this.setPrincipals.length; set++) {
      if (this.setPrincipals[set]!.some((principal) => visible.has(principal))) readable[set] = 1;
    }
    return readable;
  }

  private allowedDocs(chunkIds: Iterable<number>): Uint8Array {
    const allowed = new Uint8Array(this.docCount);
    for (const chunkId of chunkIds) {
      const doc = this.docByChunk.get(chunkId);
      if (doc !== undefined) allowed[doc] = 1;
    }
    return allowed;
  }

  private ensureSet(id: number, principals: readonly string[]): void {
    const known = this.setIndex.get(id);
    if (known !== undefined) {
      this.setPrincipals[known] = principals;
      return;
    }
    const set = this.setPrincipals.length;
    this.setIndex.set(id, set);
    this.setPrincipals.push(principals);
    if (set >= this.setChunks.length) {
      const chunks = new Float64Array(this.setChunks.length * 2);
      chunks.set(this.setChunks);
      this.setChunks = chunks;
      const length = new Float64Array(this.setLength.length * 2);
      length.set(this.setLength);
      this.setLength = length;
    }
  }

  private grow(size: number): void {
    if (size <= this.chunkIds.length) return;
    const capacity = Math.max(size, this.chunkIds.length * 2);
    const chunkIds = new Float64Array(capacity);
    chunkIds.set(this.chunkIds);
    this.chunkIds = chunkIds;
    const lengths = new Int32Array(capacity);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const setOf = new Int32Array(capacity);
    setOf.set(this.setOf);
    this.setOf = setOf;
    const deleted = new Uint8Array(capacity);
    deleted.set(this.deleted);
    this.deleted = deleted;
  }
}

/** The SQL's per-posting expression, in its operation order: w·tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl)). */
function termWeight(
  weight: number,
  tf: number,
  length: number,
  k1: number,
  b: number,
  avgdl: number,
): number {
  return (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avgdl));
}

const NO_MORE = 0x7fffffff;

/** Past this many (term, segment) cursors a query is scored term at a time. */
const EXHAUSTIVE_ABOVE = 48;

/** Walks one term's postings in one segment, a block at a time. */
class Cursor {
  doc = NO_MORE;
  tf = 0;
  private block: number;
  private readonly endBlock: number;
  private readonly docs = new Int32Array(BLOCK_SIZE);
  private readonly tfs = new Int32Array(BLOCK_SIZE);
  private position = 0;
  private size = 0;

  constructor(
    readonly segment: Segment,
    private readonly term: number,
    readonly weight: number,
    readonly bound: number,
    /** The query term's position among the distinct query terms. */
    readonly slot: number,
  ) {
    this.block = segment.termBlockStart[term]!;
    this.endBlock = segment.termBlockStart[term + 1]!;
    this.load();
  }

  next(): void {
    this.position++;
    if (this.position < this.size) {
      this.doc = this.docs[this.position]!;
      this.tf = this.tfs[this.position]!;
      return;
    }
    this.block++;
    this.load();
  }

  /** The block that would hold `target` (from the current one on), or -1 when past the end. */
  blockOf(target: number): number {
    if (this.doc >= target) return this.doc === NO_MORE ? -1 : this.block;
    let block = this.block;
    const last = this.segment.blockLastDoc;
    while (block < this.endBlock && last[block]! < target) block++;
    return block < this.endBlock ? block : -1;
  }

  /** Moves to the first posting with doc ≥ target. */
  advanceTo(target: number): void {
    if (this.doc >= target) return;
    const last = this.segment.blockLastDoc;
    if (last[this.block]! < target) {
      let block = this.block + 1;
      while (block < this.endBlock && last[block]! < target) block++;
      this.block = block;
      this.load();
    }
    while (this.doc < target) this.next();
  }

  private load(): void {
    if (this.block >= this.endBlock) {
      this.doc = NO_MORE;
      this.size = 0;
      return;
    }
    this.size = this.segment.decodeBlock(this.term, this.block, this.docs, this.tfs);
    this.position = 0;
    this.doc = this.docs[0]!;
    this.tf = this.tfs[0]!;
  }
}

/** The k best (score descending, chunk id ascending) in a binary heap whose root is the worst kept. */
class TopK {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(
    private readonly capacity: number,
    private readonly chunkIds: Float64Array,
  ) {
    this.docs = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** The score a document must beat (or tie with a lower chunk id) once k are kept. */
  get threshold(): number {
    return this.size < this.capacity ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }

  /** Keeps the document if it belongs in the top k; returns whether the threshold may have moved. */
  offer(doc: number, score: number): boolean {
    if (this.size < this.capacity) {
      this.docs[this.size] = doc;
      this.scores[this.size] = score;
      this.up(this.size++);
      return this.size === this.capacity;
    }
    if (!this.worse(this.docs[0]!, this.scores[0]!, doc, score)) return false;
    this.docs[0] = doc;
    this.scores[0] = score;
    this.down(0);
    return true;
  }

  sorted(): { doc: number; score: number }[] {
    const result: { doc: number; score: number }[] = [];
    for (let index = 0; index < this.size; index++)
      result.push({ doc: this.docs[index]!, score: this.scores[index]! });
    return result.sort((left, right) =>
      right.score !== left.score
        ? right.score - left.score
        : this.chunkIds[left.doc]! - this.chunkIds[right.doc]!,
    );
  }

  /** Whether (docA, scoreA) ranks below (docB, scoreB). */
  private worse(docA: number, scoreA: number, docB: number, scoreB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && this.chunkIds[docA]! > this.chunkIds[docB]!);
  }

  private up(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.worse(this.docs[index]!, this.scores[index]!, this.docs[parent]!, this.scores[parent]!))
        break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let worst = index;
      if (
        left < this.size &&
        this.worse(this.docs[left]!, this.scores[left]!, this.docs[worst]!, this.scores[worst]!)
      )
        worst = left;
      if (
        right < this.size &&
        this.worse(this.docs[right]!, this.scores[right]!, this.docs[worst]!, this.scores[worst]!)
      )
        worst = right;
      if (worst === index) return;
      this.swap(index, worst);
      index = worst;
    }
  }

  private swap(left: number, right: number): void {
    const doc = this.docs[left]!;
    const score = this.scores[left]!;
    this.docs[left] = this.docs[right]!;
    this.scores[left] = this.scores[right]!;
    this.docs[right] = doc;
    this.scores[right] = score;
  }
}
