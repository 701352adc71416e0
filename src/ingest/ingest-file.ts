/**
 * @module ingest/ingest-file
 * One item of a job, start to finish: read → hash → (unchanged content? apply a changed ACL or
 * metadata in place and stop) → parse → chunk → analyse → embed → write each document in its own
 * transaction → drop documents the file no longer yields.
 */
import { GroundworkError, IngestError } from '../errors.ts';
import { type PiiType, scrubPii } from '../guardrails/pii.ts';
import { embeddingAttributes } from '../observability/gen-ai.ts';
import { recordEmbeddingTokens } from '../observability/span-cost.ts';
import { withSpan } from '../observability/tracer.ts';
import type { Chunker, ChunkingOptions } from '../spec/chunk.ts';
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
import { documentUri, type FilePreparer, type PreparedDocument, postingsOf } from './prepare/prepare-file.ts';
import type { IngestRequest } from './request.ts';
import type { SourceBytes } from './sources/read-source.ts';
import { yieldToEventLoop } from './yield.ts';

/** Everything an item needs, built once per pipeline. */
export interface IngestContext {
  readonly db: Database;
  readonly parser: FileParser;
  readonly chunker: Chunker;
  readonly chunking: ChunkingOptions;
  readonly analyzer: LexicalAnalyzer;
  readonly embedder?: EmbedderInfo & { readonly modelId: number };
  /** Parses, chunks and analyses files (in worker threads for large ones). */
  readonly preparer: FilePreparer;
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
  // The bytes may move to a worker thread below; their size is kept first.
  const byteSize = source.bytes.byteLength;
  const fileName = redact ? scrubPii(source.fileName, redact) : source.fileName;
  const stored = await fingerprintsByOrigin(context.db, tenantId, originUri);
  const storedByUri = new Map(stored.map((fingerprint) => [fingerprint.uri, fingerprint]));
  const single = storedByUri.get(originUri);
  const attributes = new AttributeTally();
  const current = (fingerprint: StoredFingerprint | undefined) =>
    !request.force && fingerprint?.pipelineHash === context.pipelineHash;
  // Hashing, parsing, chunking and analysis run off the main thread for large files (ADR 0057).
  const prepared = await withSpan('parse', { 'groundwork.ingest.bytes': byteSize }, () =>
    context.preparer.prepare({
      bytes: source.bytes,
      uri: originUri,
      fileName: source.fileName,
      declaredType: source.declaredType,
      options: { records: request.records, ocr: request.ocr },
      spec: {
        chunking: context.chunking,
        // Redaction happens where the file is parsed, before chunking and hashing (ADR 0032).
        ...(redact ? { redact } : {}),
        // A document stored before the file's own metadata was kept apart is parsed once to learn it.
        unchangedIfFileHash:
          stored.length === 1 && current(single) && single?.derivedMetadata !== null
            ? single?.contentHash
            : undefined,
        storedDocumentHashes: Object.fromEntries(
          stored.filter(current).map((fingerprint) => [fingerprint.uri, fingerprint.contentHash]),
        ),
      },
    }),
  );
  if (prepared.unchanged) {
    const unchanged = single as StoredFingerprint & { derivedMetadata: Record<string, unknown> };
    const derived = { ...unchanged.derivedMetadata, fileName };
    attributes.add(await applyAttributes(context, tenantId, unchanged, request, derived));
    return attributes.outcome(0, 0, []);
  }
  if (prepared.documents.length === 0) {
    throw new IngestError('no_text', prepared.warnings[0] ?? 'The file holds no text to index.');
  }
  const produced = new Set<string>();
  let documents = 0;
  let chunks = 0;
  for (const document of prepared.documents) {
    if (documents > 0) await yieldToEventLoop();
    const uri = documentUri(originUri, document.key);
    produced.add(uri);
    const contentHash = document.contentHash;
    const previous = storedByUri.get(uri);
    const derived = { ...document.metadata, fileName };
    if (document.chunks === null && previous) {
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
        mediaType: prepared.mediaType,
        contentHash,
        pipelineHash: context.pipelineHash,
        metadata: { ...request.metadata, ...derived },
        derivedMetadata: derived,
        acl: request.acl,
        pageCount: document.pageCount,
        byteSize: document.key === undefined ? byteSize : undefined,
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
  return attributes.outcome(documents + gone.length, chunks, prepared.warnings, documents);
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

async function buildChunks(context: IngestContext, document: PreparedDocument): Promise<ChunkWrite[]> {
  const prepared = document.chunks ?? [];
  // Chunked and analysed already (in a worker for large files); this span counts the chunks.
  await withSpan('chunk', { 'groundwork.ingest.chunks': prepared.length }, async () => {});
  const embedder = context.embedder;
  const embeddings = embedder
    ? await withSpan('embed', embeddingAttributes(embedder.model, prepared.length), async (span) => {
        let tokens: number | undefined;
        const texts = prepared.map((chunk) => indexText(document.title, chunk.headingPath, chunk.text));
        const vectors = await embedAll(embedder, texts, (used) => {
          tokens = (tokens ?? 0) + used;
        });
        recordEmbeddingTokens(span, tokens === undefined ? undefined : { tokens });
        return vectors;
      })
    : undefined;
  return prepared.map((chunk, index) => ({
    ordinal: chunk.ordinal,
    text: chunk.text,
    headingPath: chunk.headingPath,
    page: chunk.page,
    tokenCount: chunk.tokenCount,
    termFrequencies: { [Symbol.iterator]: () => postingsOf(chunk) },
    lexicalLength: chunk.lexicalLength,
    embedding: embeddings?.[index],
  }));
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
        throw wrongShape(`the model returned ${embeddings.length} vectors for ${batch.length} texts`);
      }
      for (const embedding of embeddings) {
        if (embedding.length !== embedder.dimensions) {
          throw wrongShape(
            `the model returned a ${embedding.length}-d vector, expected ${embedder.dimensions}`,
          );
        }
        vectors.push(embedding);
      }
    } catch (error) {
      if (error instanceof IngestError) throw error;
      // A provider's final verdict says whether a later attempt can succeed (a wrong vector length or
      // a rejected key cannot); anything else may be transient.
      const retryable = GroundworkError.isInstance(error) ? error.retryable : true;
      throw new IngestError('embedding_failed', `Embedding failed: ${(error as Error).message}`, {
        cause: error,
        retryable,
      });
    }
  }
  return vectors;
}

/** Vectors of the wrong count or length are never stored, and asking again gives the same ones. */
function wrongShape(detail: string): IngestError {
  return new IngestError('embedding_failed', `Embedding failed: ${detail}`, { retryable: false });
}

export { sha256 } from './prepare/prepare-file.ts';
