/**
 * @module ingest/ingest-file
 * One item of a job, start to finish: read → hash → (unchanged content? apply a changed ACL or
 * metadata in place and stop) → parse → chunk → analyse → embed → write each document in its own
 * transaction → drop documents the file no longer yields.
 */
import { createHash } from 'node:crypto';
import { IngestError } from '../errors.ts';
import { type PiiType, scrubPii } from '../guardrails/pii.ts';
import { embeddingAttributes } from '../observability/gen-ai.ts';
import { recordEmbeddingTokens } from '../observability/span-cost.ts';
import { withSpan } from '../observability/tracer.ts';
import type { Chunker, ChunkingOptions } from '../spec/chunk.ts';
import type { ParsedDocument } from '../spec/document.ts';
import type { EmbedderInfo } from '../spec/embedding.ts';
import type { FileParser } from '../spec/file-parser.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import type { Database } from '../store/database.ts';
import { type AttributeChange, updateDocumentAttributes } from '../store/document-attributes.ts';
import {
  type ChunkWrite,
  deleteDocuments,
  fingerprintsByOrigin,
  replaceDocument,
  type StoredFingerprint,
} from '../store/documents.ts';
import { indexText } from './index-text.ts';
import { redactDocument, redactionMarker } from './redaction.ts';
import type { IngestRequest } from './request.ts';
import type { SourceBytes } from './sources/read-source.ts';

/** Everything an item needs, built once per pipeline. */
export interface IngestContext {
  readonly db: Database;
  readonly parser: FileParser;
  readonly chunker: Chunker;
  readonly chunking: ChunkingOptions;
  readonly analyzer: LexicalAnalyzer;
  readonly embedder?: EmbedderInfo & { readonly modelId: number };
  /** Changes whenever parsing, chunking, analysis or embedding would produce different rows. */
  readonly pipelineHash: string;
}

/**
 * What happened to one item: `done` when documents were written or removed, `updated` when only their
 * ACL or metadata changed (rewritten in place), `unchanged` when nothing did.
 */
export interface FileOutcome {
  readonly status: 'done' | 'updated' | 'unchanged';
  /** Documents written, re-permissioned or given new metadata. */
  readonly documents: number;
  /** Chunks written (none for an in-place ACL or metadata change). */
  readonly chunks: number;
  /** What changed besides content, e.g. "access changed". */
  readonly changes: readonly string[];
  readonly warnings: readonly string[];
}

/** Ingests one file's bytes as the documents of `originUri`. */
export async function ingestFile(
  context: IngestContext,
  tenantId: string,
  originUri: string,
  source: SourceBytes,
  request: IngestRequest,
  /** PII kinds to take out of the text before anything is stored (ingest/redaction.ts). */
  redact?: readonly PiiType[],
): Promise<FileOutcome> {
  // Redaction is part of what is stored: turning it on or off must not look "unchanged".
  const marker = redactionMarker(redact);
  const fileHash = marker
    ? sha256(Buffer.concat([source.bytes, Buffer.from(`\0${marker}`)]))
    : sha256(source.bytes);
  const fileName = redact ? scrubPii(source.fileName, redact) : source.fileName;
  const stored = await fingerprintsByOrigin(context.db, tenantId, originUri);
  const storedByUri = new Map(stored.map((fingerprint) => [fingerprint.uri, fingerprint]));
  const single = storedByUri.get(originUri);
  const attributes = new AttributeTally();
  if (
    !request.force &&
    stored.length === 1 &&
    single?.contentHash === fileHash &&
    single.pipelineHash === context.pipelineHash &&
    // A document stored before the file's own metadata was kept apart is parsed once to learn it.
    single.derivedMetadata !== null
  ) {
    const derived = { ...single.derivedMetadata, fileName };
    attributes.add(await applyAttributes(context, tenantId, single, request, derived));
    return attributes.outcome(0, 0, []);
  }
  const parsed = await withSpan('parse', { 'groundwork.ingest.bytes': source.bytes.byteLength }, () =>
    context.parser.parse({
      bytes: source.bytes,
      uri: originUri,
      fileName: source.fileName,
      declaredType: source.declaredType,
      options: { records: request.records, ocr: request.ocr },
    }),
  );
  if (parsed.documents.length === 0) {
    throw new IngestError('no_text', parsed.warnings[0] ?? 'The file holds no text to index.');
  }
  const produced = new Set<string>();
  let documents = 0;
  let chunks = 0;
  for (const parsedDocument of parsed.documents) {
    const document = redact ? redactDocument(parsedDocument, redact) : parsedDocument;
    const uri = document.key === undefined ? originUri : `${originUri}#${document.key}`;
    produced.add(uri);
    const contentHash = document.key === undefined ? fileHash : sha256(JSON.stringify(document));
    const previous = storedByUri.get(uri);
    const derived = { ...document.metadata, fileName };
    if (
      !request.force &&
      previous?.contentHash === contentHash &&
      previous.pipelineHash === context.pipelineHash
    ) {
      attributes.add(await applyAttributes(context, tenantId, previous, request, derived));
      continue;
    }
    const chunkWrites = await buildChunks(context, document);
    if (chunkWrites.length === 0) continue;
    await withSpan('store', { 'groundwork.ingest.chunks': chunkWrites.length }, () =>
      replaceDocument(context.db, {
        tenantId,
        uri,
        originUri,
        title: document.title ?? fileName,
        mediaType: parsed.mediaType,
        contentHash,
        pipelineHash: context.pipelineHash,
        metadata: { ...request.metadata, ...derived },
        derivedMetadata: derived,
        acl: request.acl,
        pageCount: document.pageCount,
        byteSize: document.key === undefined ? source.bytes.byteLength : undefined,
        chunks: chunkWrites,
        embeddingModelId: context.embedder?.modelId,
      }),
    );
    documents++;
    chunks += chunkWrites.length;
  }
  const gone = stored
    .filter((fingerprint) => !produced.has(fingerprint.uri))
    .map((fingerprint) => fingerprint.id);
  await deleteDocuments(context.db, tenantId, gone);
  return attributes.outcome(documents + gone.length, chunks, parsed.warnings, documents);
}

/** Gives an unchanged document the request's ACL and metadata (over the file's own), in place. */
function applyAttributes(
  context: IngestContext,
  tenantId: string,
  stored: StoredFingerprint,
  request: IngestRequest,
  derivedMetadata: Readonly<Record<string, unknown>>,
): Promise<AttributeChange | undefined> {
  return updateDocumentAttributes(context.db, tenantId, stored.id, {
    acl: request.acl,
    metadata: { ...request.metadata, ...derivedMetadata },
    derivedMetadata,
  });
}

/** Counts in-place attribute changes of one item's documents and builds the item's outcome. */
class AttributeTally {
  private updated = 0;
  private readonly changes = new Set<string>();

  add(change: AttributeChange | undefined): void {
    if (!change || (!change.access && !change.metadata)) return;
    this.updated++;
    if (change.access) this.changes.add('access changed');
    if (change.metadata) this.changes.add('metadata changed');
  }

  /** `rewritten` counts documents written or removed; `written` those among them that were written. */
  outcome(rewritten: number, chunks: number, warnings: readonly string[], written = rewritten): FileOutcome {
    const changes = [...this.changes].sort();
    const status = rewritten > 0 ? 'done' : this.updated > 0 ? 'updated' : 'unchanged';
    return { status, documents: written + this.updated, chunks, changes, warnings };
  }
}

async function buildChunks(context: IngestContext, document: ParsedDocument): Promise<ChunkWrite[]> {
  const drafts = await withSpan('chunk', {}, (span) => {
    const drafts = context.chunker.chunk(document, context.chunking);
    span.setAttribute('groundwork.ingest.chunks', drafts.length);
    return drafts;
  });
  const texts = drafts.map((draft) => indexText(document.title, draft.headingPath, draft.text));
  const embedder = context.embedder;
  const embeddings = embedder
    ? await withSpan('embed', embeddingAttributes(embedder.model, texts.length), async (span) => {
        let tokens: number | undefined;
        const vectors = await embedAll(embedder, texts, (used) => {
          tokens = (tokens ?? 0) + used;
        });
        recordEmbeddingTokens(span, tokens === undefined ? undefined : { tokens });
        return vectors;
      })
    : undefined;
  return drafts.map((draft, index) => {
    const { frequencies, length } = context.analyzer.termFrequencies(texts[index] as string);
    return {
      ordinal: draft.ordinal,
      text: draft.text,
      headingPath: draft.headingPath,
      page: draft.page,
      tokenCount: draft.tokenCount,
      termFrequencies: frequencies,
      lexicalLength: length,
      embedding: embeddings?.[index],
    };
  });
}

/** Embeds texts in batches of the model's preferred size; `onTokens` hears each batch's reported tokens. */
export async function embedAll(
  embedder: EmbedderInfo,
  values: readonly string[],
  onTokens?: (tokens: number) => void,
): Promise<number[][]> {
  const perCall = (await embedder.model.maxEmbeddingsPerCall) ?? 2048;
  const batchSize = Math.max(1, Math.min(embedder.batchSize ?? 32, perCall));
  const vectors: number[][] = [];
  for (let start = 0; start < values.length; start += batchSize) {
    const batch = values.slice(start, start + batchSize);
    try {
      const { embeddings, usage } = await embedder.model.doEmbed({ values: batch });
      if (usage) onTokens?.(usage.tokens);
      if (embeddings.length !== batch.length) {
        throw new Error(`the model returned ${embeddings.length} vectors for ${batch.length} texts`);
      }
      for (const embedding of embeddings) {
        if (embedding.length !== embedder.dimensions) {
          throw new Error(
            `the model returned a ${embedding.length}-d vector, expected ${embedder.dimensions}`,
          );
        }
        vectors.push(embedding);
      }
    } catch (error) {
      throw new IngestError('embedding_failed', `Embedding failed: ${(error as Error).message}`, {
        cause: error,
        retryable: true,
      });
    }
  }
  return vectors;
}

/** Hex SHA-256 of bytes or a string. */
export function sha256(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}
