/** The knowledge base: uploads, URL ingestion, jobs and documents (admin; jobs readable by operators). */
import type { ApiClient } from './http.ts';

/** An ingestion job's status. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** An ingestion job (src/store/jobs.ts `JobRow`). */
export interface Job {
  readonly id: string;
  readonly status: JobStatus;
  readonly total: number;
  readonly processed: number;
  readonly succeeded: number;
  readonly skipped: number;
  readonly failed: number;
  readonly chunks: number;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** One file of a job and how it went. */
export interface JobItem {
  readonly ordinal: number;
  readonly uri: string;
  readonly status: 'pending' | 'done' | 'updated' | 'unchanged' | 'failed' | 'removed';
  readonly code: string | null;
  readonly reason: string | null;
  readonly chunks: number;
}

/** A document as lists show it. */
export interface DocumentSummary {
  readonly id: number;
  readonly uri: string;
  readonly title: string | null;
  readonly mediaType: string | null;
  readonly pageCount: number | null;
  readonly chunkCount: number;
  readonly byteSize: number | null;
  readonly updatedAt: string;
}

/** A stored chunk of a document. */
export interface Chunk {
  readonly id: number;
  readonly ordinal: number;
  readonly text: string;
  readonly headingPath: readonly string[];
  readonly page: number | null;
  readonly tokenCount: number;
}

/** True once a job will not change any more. */
export function jobFinished(job: Job): boolean {
  return job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';
}

/** Uploads files (each its own item of one job); a folder's files keep their relative paths. */
export async function uploadFiles(client: ApiClient, files: readonly File[]): Promise<Job> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.webkitRelativePath || file.name);
  return (await client.json<{ job: Job }>('/v1/documents', { method: 'POST', body: form })).job;
}

/** Queues the ingestion of web pages. */
export async function ingestUrls(client: ApiClient, urls: readonly string[]): Promise<Job> {
  const body = { sources: urls.map((url) => ({ kind: 'url', url })) };
  return (await client.json<{ job: Job }>('/v1/ingest', { body })).job;
}

/** Recent jobs, newest first. */
export async function listJobs(client: ApiClient, limit = 10): Promise<Job[]> {
  return (await client.json<{ jobs: Job[] }>(`/v1/jobs?limit=${limit}`)).jobs;
}

/** One job with its per-file outcomes. */
export function getJob(client: ApiClient, id: string): Promise<{ job: Job; items: JobItem[] }> {
  return client.json(`/v1/jobs/${encodeURIComponent(id)}`);
}

/** A page of documents. */
export async function listDocuments(
  client: ApiClient,
  offset: number,
  limit: number,
): Promise<DocumentSummary[]> {
  return (
    await client.json<{ documents: DocumentSummary[] }>(`/v1/documents?limit=${limit}&offset=${offset}`)
  ).documents;
}

/** One document with its chunks. */
export function getDocument(
  client: ApiClient,
  id: number,
): Promise<{ document: DocumentSummary; chunks: Chunk[] }> {
  return client.json(`/v1/documents/${id}`);
}

/** Deletes a document and its chunks. */
export async function deleteDocument(client: ApiClient, id: number): Promise<void> {
  await client.send(`/v1/documents/${id}`, { method: 'DELETE' });
}
