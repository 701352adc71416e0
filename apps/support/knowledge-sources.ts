/**
 * @module support/knowledge-sources
 * The files `groundwork support` ingests, each manual once: three manuals are shipped both as
 * Markdown (`knowledge/manuals`) and as generated PDFs (`knowledge-pdf`), and the PDF is the one
 * ingested, so the served app exercises the PDF parser and cites pages. The Markdown twins stay in
 * the tree: they are the PDFs' source and what the in-memory index (scenarios, tests) reads.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Groundwork } from '../../src/app.ts';
import { walkFolder } from '../../src/ingest/sources/folder.ts';

/** The support app's folder. */
export const SUPPORT_APP_DIR = path.dirname(fileURLToPath(import.meta.url));

/** What to ingest, and the Markdown files a PDF replaces (to remove from older knowledge bases). */
export interface SupportKnowledgeFiles {
  readonly files: readonly string[];
  readonly replaced: readonly string[];
}

/** Lists the knowledge files: every PDF manual, and the Markdown files without a PDF twin. */
export async function supportKnowledgeFiles(appDir = SUPPORT_APP_DIR): Promise<SupportKnowledgeFiles> {
  const pdfs = (await walkFolder(path.join(appDir, 'knowledge-pdf'))).files.filter(
    (file) => path.extname(file) === '.pdf',
  );
  const twins = new Set(pdfs.map((file) => path.basename(file, '.pdf')));
  const markdown = (await walkFolder(path.join(appDir, 'knowledge'))).files;
  const isTwin = (file: string) => path.extname(file) === '.md' && twins.has(path.basename(file, '.md'));
  return {
    files: [...markdown.filter((file) => !isTwin(file)), ...pdfs],
    replaced: markdown.filter(isTwin),
  };
}

/**
 * Ingests the knowledge files into `tenantId`, each manual once (a PDF manual instead of its Markdown
 * twin; unchanged files are skipped by their hash), and removes twins that an older release ingested
 * next to the PDFs. What `groundwork support` serves, and what the knowledge-answer tests search.
 */
export async function ingestSupportKnowledge(app: Groundwork, tenantId: string): Promise<string> {
  const { files, replaced } = await supportKnowledgeFiles();
  await app.documents.delete(tenantId, await app.documents.idsByOrigin(tenantId, replaced));
  await app.ingestion.submit(
    tenantId,
    { sources: files.map((file) => ({ kind: 'path' as const, path: file })) },
    { trusted: true },
  );
  await app.ingestion.drain();
  const { documents, chunks } = await app.documents.counts(tenantId);
  return `${documents} documents, ${chunks} chunks`;
}
