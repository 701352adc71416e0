/**
 * Maps words to term ids, memoising the expensive part of analysis (stop-word check and Porter
 * stemming). Words are looked up straight from a range of the scanned text: a word seen before costs a
 * hash over its characters and one comparison, with no string allocated. Keys live in one flat
 * Uint16Array and slots in an Int32Array, which stays cache-friendly where a Map<string, string> of the
 * same vocabulary spends most of its time on memory stalls (measured: about 3× slower).
 */
export class WordCache {
  /** Term strings by id; ids are dense, so callers can count occurrences in typed arrays. */
  readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  private slots = new Int32Array(1 << 16);
  private keyChars = new Uint16Array(1 << 18);
  private keyCharsUsed = 0;
  private keyStart = new Int32Array(1 << 14);
  private keyLength = new Int32Array(1 << 14);
  private keyHash = new Int32Array(1 << 14);
  private keyTerm = new Int32Array(1 << 14);
  private entries = 0;

  /**
   * @param resolve turns a word into its term, or undefined to drop it (stop word, too long).
   * @param capacity entries kept before {@link trim} starts over, bounding memory on endless ingests.
   */
  constructor(
    private readonly resolve: (word: string) => string | undefined,
    private readonly capacity: number,
  ) {}

  /** Term id of the word text[start, end), or -1 when the word is dropped. */
  lookup(text: string, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
    const length = end - start;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return this.insert(text, start, end, hash, slot);
      if (
        this.keyHash[entry] === hash &&
        this.keyLength[entry] === length &&
        this.sameKey(entry, text, start)
      ) {
        return this.keyTerm[entry]!;
      }
    }
  }

  /** Term id of a word that is already a string (no memoisation; for rare, irregular words). */
  resolveUncached(word: string): number {
    const term = this.resolve(word);
    return term === undefined ? -1 : this.termId(term);
  }

  /** Forgets everything once over capacity. Call between texts only: it invalidates term ids. */
  trim(): void {
    if (this.entries < this.capacity) return;
    this.slots.fill(0);
    this.entries = 0;
    this.keyCharsUsed = 0;
    this.terms.length = 0;
    this.termIds.clear();
  }

  private sameKey(entry: number, text: string, start: number): boolean {
    const offset = this.keyStart[entry]!;
    const length = this.keyLength[entry]!;
    for (let index = 0; index < length; index++) {
      if (this.keyChars[offset + index] !== text.charCodeAt(start + index)) return false;
    }
    return true;
  }

  private insert(text: string, start: number, end: number, hash: number, slot: number): number {
    const term = this.resolve(text.slice(start, end));
    const id = term === undefined ? -1 : this.termId(term);
    const entry = this.entries++;
    if (entry === this.keyStart.length) this.growEntries();
    if (this.keyCharsUsed + (end - start) > this.keyChars.length) {
      this.keyChars = grow(this.keyChars, this.keyCharsUsed + (end - start));
    }
    for (let at = start; at < end; at++) this.keyChars[this.keyCharsUsed++] = text.charCodeAt(at);
    this.keyStart[entry] = this.keyCharsUsed - (end - start);
    this.keyLength[entry] = end - start;
    this.keyHash[entry] = hash;
    this.keyTerm[entry] = id;
    this.slots[slot] = entry + 1;
    // Keep the table at most half full so probe sequences stay short.
    if (this.entries * 2 > this.slots.length) this.rehash();
    return id;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  private growEntries(): void {
    const size = this.keyStart.length * 2;
    this.keyStart = grow(this.keyStart, size);
    this.keyLength = grow(this.keyLength, size);
    this.keyHash = grow(this.keyHash, size);
    this.keyTerm = grow(this.keyTerm, size);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let entry = 0; entry < this.entries; entry++) {
      let slot = this.keyHash[entry]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = entry + 1;
    }
  }
}

function grow<T extends Int32Array | Uint16Array>(array: T, minimum: number): T {
  let size = array.length * 2;
  while (size < minimum) size *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(size);
  bigger.set(array);
  return bigger;
}
