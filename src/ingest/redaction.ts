/**
 * @module ingest/redaction
 * Ingestion-time PII redaction, per source (`redact: ["email", "phone"]` or `pii: "redact"` on an
 * ingest source; `groundwork ingest --redact-pii`). The parsed document's text, title, string metadata
 * and file name have the named kinds replaced by their type label (`[email]`) before chunking, so
 * chunks, postings, vectors and the document row only ever hold the redacted text. Labels are not
 * reversible: nothing keeps the originals. An uploaded original of such a source is discarded once
 * ingested (run-job.ts), so the blob store holds no copy either. ADR 0032.
 */
import path from 'node:path';
import { PII_TYPES, type PiiType, scrubPii } from '../guardrails/pii.ts';
import type { ParsedDocument } from '../spec/document.ts';
import { uploadUri } from './item-uri.ts';
import type { IngestRequest, IngestSource } from './request.ts';

/** The kinds to redact from a source's text, or undefined to store it as is. */
export function redactionOf(source: IngestSource): readonly PiiType[] | undefined {
  if (source.redact) return [...new Set(source.redact)].sort();
  if (source.pii === 'redact') return PII_TYPES;
  return undefined;
}

/** The redaction of the source an item came from (a folder's files inherit the folder's). */
export function redactionForItem(request: IngestRequest, itemUri: string): readonly PiiType[] | undefined {
  for (const source of request.sources) {
    const types = redactionOf(source);
    if (!types) continue;
    if (source.kind === 'url' && source.url === itemUri) return types;
    if (source.kind === 'upload' && uploadUri(source) === itemUri) return types;
    if (source.kind === 'path') {
      const prefix = source.path.endsWith(path.sep) ? source.path : source.path + path.sep;
      if (itemUri === source.path || itemUri.startsWith(prefix)) return types;
    }
  }
  return undefined;
}

/** The document with every text the store keeps redacted. */
export function redactDocument(document: ParsedDocument, types: readonly PiiType[]): ParsedDocument {
  const scrub = (text: string) => scrubPii(text, types);
  return {
    ...document,
    title: document.title === undefined ? undefined : scrub(document.title),
    blocks: document.blocks.map((block) => ({ ...block, text: scrub(block.text) })),
    metadata: document.metadata === undefined ? undefined : scrubJson(document.metadata, scrub),
  };
}

/** A marker folded into content hashes, so turning redaction on or off re-indexes unchanged files. */
export function redactionMarker(types: readonly PiiType[] | undefined): string {
  return types ? `redact:${types.join(',')}` : '';
}

function scrubJson<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, scrub)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubJson(item, scrub)])) as T;
  }
  return value;
}
