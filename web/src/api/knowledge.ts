/** The knowledge base: uploads, URL ingestion, jobs and documents (admin; jobs readable by operators). */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/** One job with its per-file outcomes. */
export type JobDetail = ApiResponse<'get /v1/jobs/{id}'>;
/** An ingestion job. */
export type Job = JobDetail['job'];
/** An ingestion job's status. */
export type JobStatus = Job['status'];
/** One file of a job and how it went. */
export type JobItem = JobDetail['items'][number];

/** A document as lists show it. */
export type DocumentSummary = ApiResponse<'get /v1/documents'>['documents'][number];
/** One document with its chunks. */
export type DocumentDetail = ApiResponse<'get /v1/documents/{id}'>;
/** A stored chunk of a document. */
export type Chunk = DocumentDetail['chunks'][number];

/** True once a job will not change any more. */
export function jobFinished(job: Job): boolean {
  return job.status === 'done' || job.status === 'failed' || job.status === 'cancelled';
}

/** Uploads files (each its own item of one job); a folder's files keep their relative paths. */
export async function uploadFiles(client: ApiClient, files: readonly File[]): Promise<Job> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.webkitRelativePath || file.name);
  return (
    await client.json<ApiResponse<'post /v1/documents'>>('/v1/documents', { method: 'POST', body: form })
  ).job;
}

/** Queues the ingestion of web pages. */
export async function ingestUrls(client: ApiClient, urls: readonly string[]): Promise<Job> {
  const body = { sources: urls.map((url) => ({ kind: 'url', url })) };
  return (await client.json<ApiResponse<'post /v1/ingest'>>('/v1/ingest', { body })).job;
}

/** Recent jobs, newest first. */
export async function listJobs(client: ApiClient, limit = 10): Promise<readonly Job[]> {
  return (await client.json<ApiResponse<'get /v1/jobs'>>(`/v1/jobs?limit=${limit}`)).jobs;
}

/** One job with its per-file outcomes. */
export function getJob(client: ApiClient, id: string): Promise<JobDetail> {
  return client.json(`/v1/jobs/${encodeURIComponent(id)}`);
}

/** A page of documents. */
export async function listDocuments(
  client: ApiClient,
  offset: number,
  limit: number,
): Promise<readonly DocumentSummary[]> {
  return (
    await client.json<ApiResponse<'get /v1/documents'>>(`/v1/documents?limit=${limit}&offset=${offset}`)
  ).documents;
}

/** One document with its chunks. */
export function getDocument(client: ApiClient, id: number): Promise<DocumentDetail> {
  return client.json(`/v1/documents/${id}`);
}

/** Deletes a document and its chunks. */
export async function deleteDocument(client: ApiClient, id: number): Promise<void> {
  await client.send(`/v1/documents/${id}`, { method: 'DELETE' });
}
