/**
 * @module ingest/chunking/structured-chunker
 * Structure-aware chunking: chunks follow the document's headings, keep paragraphs, list items, tables
 * and code blocks whole where they fit, are sized in tokens, and overlap by whole sentences when a
 * section has to be split. Nothing is ever cut mid-sentence unless one sentence exceeds the chunk size.
 */
import type { ChunkDraft, Chunker, ChunkingOptions, TokenCounter } from '../../spec/chunk.ts';
import type { Block, ParsedDocument } from '../../spec/document.ts';
import { splitSentences } from '../../text/sentences.ts';

interface Piece {
  readonly text: string;
  readonly tokens: number;
  readonly kind: Block['kind'];
  readonly page?: number;
}

interface Draft {
  pieces: Piece[];
  tokens: number;
  headingPath: string[];
  page?: number;
}

/** Default sizes: fit comfortably inside a 512-token embedding model with the heading prefix. */
export const DEFAULT_CHUNKING: ChunkingOptions = { maxTokens: 350, overlapTokens: 50 };

/** Creates the default chunker. */
export function createStructuredChunker(counter: TokenCounter): Chunker {
  return {
    specificationVersion: 'v1',
    chunk: (document, options) => chunkDocument(document, options, counter),
  };
}

function chunkDocument(
  document: ParsedDocument,
  options: ChunkingOptions,
  counter: TokenCounter,
): ChunkDraft[] {
  const maxTokens = Math.max(16, options.maxTokens);
  const overlapTokens = Math.min(Math.max(0, options.overlapTokens), Math.floor(maxTokens / 2));
  // A section shorter than this is merged with the next one rather than stored as a sliver.
  const minSectionTokens = Math.floor(maxTokens / 4);
  const chunks: ChunkDraft[] = [];
  const headings: { level: number; text: string }[] = [];
  let draft = emptyDraft(headings);

  const flush = (withOverlap: boolean) => {
    if (draft.pieces.length === 0) return;
    const text = joinPieces(draft.pieces);
    chunks.push({
      ordinal: chunks.length,
      text,
      headingPath: draft.headingPath,
      page: draft.page,
      tokenCount: counter.count(text),
    });
    const carried = withOverlap ? overlapTail(draft.pieces, overlapTokens, counter) : [];
    draft = emptyDraft(headings);
    for (const piece of carried) add(piece);
    // Overlap alone is not content: a chunk made only of carried text is never emitted.
    draft.carriedOnly = carried.length > 0;
  };

  const add = (piece: Piece) => {
    if (draft.pieces.length === 0) draft.page = piece.page;
    // A chunk belongs to the section of its first content, not to the headings that merely open it.
    if (!draft.hasContent) draft.headingPath = headings.map((heading) => heading.text);
    if (piece.kind !== 'heading') draft.hasContent = true;
    draft.pieces.push(piece);
    draft.tokens += piece.tokens + 1;
    draft.carriedOnly = false;
  };

  for (const block of document.blocks) {
    const text = block.text.trim();
    if (!text) continue;
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      if (draft.tokens >= minSectionTokens && !draft.carriedOnly) flush(false);
      else if (draft.carriedOnly) draft = emptyDraft(headings);
      while (headings.length > 0 && (headings.at(-1)?.level ?? 0) >= level) headings.pop();
      headings.push({ level, text: oneLine(text) });
      add({ text, tokens: counter.count(text), kind: 'heading', page: block.page });
      continue;
    }
    // Pieces of a split block leave room for the overlap carried in front of them.
    for (const piece of splitBlock(block, text, maxTokens, maxTokens - overlapTokens, counter)) {
      if (draft.tokens + piece.tokens > maxTokens && draft.pieces.length > 0) {
        flush(true);
        if (draft.tokens + piece.tokens > maxTokens) draft = emptyDraft(headings);
      }
      add(piece);
    }
  }
  if (!draft.carriedOnly) flush(false);
  return chunks;
}

type DraftState = Draft & { carriedOnly: boolean; hasContent: boolean };

function emptyDraft(headings: readonly { text: string }[]): DraftState {
  return {
    pieces: [],
    tokens: 0,
    headingPath: headings.map((heading) => heading.text),
    carriedOnly: false,
    hasContent: false,
  };
}

/** Splits a block that does not fit: prose by sentences, tables by rows, code by lines. */
function splitBlock(
  block: Block,
  text: string,
  maxTokens: number,
  pieceTokens: number,
  counter: TokenCounter,
): Piece[] {
  const tokens = counter.count(text);
  if (tokens <= maxTokens) return [{ text, tokens, kind: block.kind, page: block.page }];
  // From here on, pieces are sized to leave room for overlap.
  maxTokens = pieceTokens;
  const units = block.kind === 'table' || block.kind === 'code' ? text.split('\n') : splitSentences(text);
  const separator = block.kind === 'table' || block.kind === 'code' ? '\n' : ' ';
  const pieces: Piece[] = [];
  let current: string[] = [];
  let currentTokens = 0;
  const push = () => {
    if (current.length === 0) return;
    const joined = current.join(separator);
    pieces.push({ text: joined, tokens: counter.count(joined), kind: block.kind, page: block.page });
    current = [];
    currentTokens = 0;
  };
  for (const unit of units) {
    const unitTokens = counter.count(unit);
    if (unitTokens > maxTokens) {
      push();
      for (const part of splitByWords(unit, maxTokens, counter)) {
        pieces.push({ text: part, tokens: counter.count(part), kind: block.kind, page: block.page });
      }
      continue;
    }
    if (currentTokens + unitTokens + 1 > maxTokens) push();
    current.push(unit);
    currentTokens += unitTokens + 1;
  }
  push();
  return pieces;
}

/** Last resort for a single sentence or line longer than a chunk. */
function splitByWords(text: string, maxTokens: number, counter: TokenCounter): string[] {
  const words = text.split(/\s+/);
  const parts: string[] = [];
  let current: string[] = [];
  let currentTokens = 0;
  for (const word of words) {
    const wordTokens = counter.count(` ${word}`);
    if (currentTokens + wordTokens > maxTokens && current.length > 0) {
      parts.push(current.join(' '));
      current = [];
      currentTokens = 0;
    }
    if (wordTokens > maxTokens) {
      // A "word" longer than a chunk (base64, a hash dump): cut it by characters.
      const step = Math.max(1, Math.floor((word.length * maxTokens) / wordTokens));
      for (let offset = 0; offset < word.length; offset += step)
        parts.push(word.slice(offset, offset + step));
      continue;
    }
    current.push(word);
    currentTokens += wordTokens;
  }
  if (current.length > 0) parts.push(current.join(' '));
  return parts;
}

/** The trailing whole sentences of a chunk, up to the overlap budget, to start the next chunk with. */
function overlapTail(pieces: readonly Piece[], overlapTokens: number, counter: TokenCounter): Piece[] {
  if (overlapTokens <= 0) return [];
  const last = pieces.at(-1);
  if (!last || last.kind === 'heading') return [];
  const units =
    last.kind === 'table' || last.kind === 'code' ? last.text.split('\n') : splitSentences(last.text);
  const separator = last.kind === 'table' || last.kind === 'code' ? '\n' : ' ';
  const kept: string[] = [];
  let total = 0;
  for (let index = units.length - 1; index >= 0; index--) {
    const unit = units[index] as string;
    const unitTokens = counter.count(unit);
    if (total + unitTokens > overlapTokens) break;
    kept.unshift(unit);
    total += unitTokens + 1;
  }
  // Carrying the whole piece over would only repeat it.
  if (kept.length === 0 || kept.length === units.length) return [];
  const text = kept.join(separator);
  return [{ text, tokens: counter.count(text), kind: last.kind, page: last.page }];
}

function joinPieces(pieces: readonly Piece[]): string {
  let text = '';
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index] as Piece;
    if (index > 0) {
      const previous = pieces[index - 1] as Piece;
      text += previous.kind === 'list-item' && piece.kind === 'list-item' ? '\n' : '\n\n';
    }
    text += piece.kind === 'list-item' ? `- ${piece.text}` : piece.text;
  }
  return text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
