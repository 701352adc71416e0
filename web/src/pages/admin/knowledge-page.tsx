/** The knowledge admin: add sources, follow their jobs live, browse and delete documents. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  type DocumentSummary,
  deleteDocument,
  type Job,
  listDocuments,
  listJobs,
} from '../../api/knowledge.ts';
import { Alert } from '../../components/alert.tsx';
import { Button, Link } from '../../components/button.tsx';
import { formatBytes, formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import { AddSources } from './add-sources.tsx';
import { JobProgress } from './job-progress.tsx';
import { useJob } from './use-job.ts';

const PAGE_SIZE = 25;

/** The page. */
export function KnowledgePage() {
  const { client } = useApp();
  const [tracked, setTracked] = useState<string[]>([]);
  const [jobs, setJobs] = useState<readonly Job[]>([]);
  const [documents, setDocuments] = useState<readonly DocumentSummary[]>([]);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [recent, page] = await Promise.all([
        listJobs(client, 8),
        listDocuments(client, offset, PAGE_SIZE),
      ]);
      setJobs(recent);
      setDocuments(page);
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [client, offset]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const remove = async (id: number) => {
    setConfirming(null);
    try {
      await deleteDocument(client, id);
      await refresh();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <div class="knowledge">
      <h1>Knowledge</h1>
      <AddSources onQueued={(job) => setTracked((ids) => [job.id, ...ids.filter((id) => id !== job.id)])} />
      {tracked.map((id) => (
        <TrackedJob key={id} id={id} onFinished={refresh} />
      ))}
      {error && <Alert>{error}</Alert>}
      <section class="card" aria-labelledby="jobs-title">
        <h2 id="jobs-title">Recent jobs</h2>
        {jobs.length === 0 ? (
          <p>No jobs yet.</p>
        ) : (
          <div class="table-scroll">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  <th scope="col">Files</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Queued</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((job) => (
                  <tr key={job.id}>
                    <td class="mono">
                      <button
                        type="button"
                        class="link-button"
                        onClick={() => setTracked((ids) => (ids.includes(job.id) ? ids : [job.id, ...ids]))}
                      >
                        {job.id.slice(0, 8)}
                      </button>
                    </td>
                    <td>
                      <span class={`status status-${job.status}`}>{job.status}</span>
                    </td>
                    <td>
                      {job.processed}/{job.total}
                    </td>
                    <td>{job.failed}</td>
                    <td>{formatTime(job.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="documents-title">
        <h2 id="documents-title">Documents</h2>
        {documents.length === 0 && offset === 0 ? (
          <p>No documents yet: upload some above.</p>
        ) : (
          <div class="table-scroll">
            <table class="table documents">
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col" class="hide-narrow">
                    Source
                  </th>
                  <th scope="col">Chunks</th>
                  <th scope="col">Size</th>
                  <th scope="col" class="hide-narrow">
                    Updated
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {documents.map((document) => (
                  <tr key={document.id}>
                    <td>
                      <Link href={`/admin/knowledge/documents/${document.id}`}>
                        {document.title ?? 'Untitled'}
                      </Link>
                    </td>
                    <td class="mono truncate hide-narrow" title={document.uri}>
                      {document.uri}
                    </td>
                    <td>{document.chunkCount}</td>
                    <td>{formatBytes(document.byteSize)}</td>
                    <td class="hide-narrow">{formatTime(document.updatedAt)}</td>
                    <td class="actions">
                      {confirming === document.id ? (
                        <>
                          <Button variant="danger" onClick={() => void remove(document.id)}>
                            Delete
                          </Button>
                          <Button variant="ghost" onClick={() => setConfirming(null)}>
                            Keep
                          </Button>
                        </>
                      ) : (
                        <Button
                          variant="ghost"
                          aria-label={`Delete ${document.title ?? document.uri}`}
                          onClick={() => setConfirming(document.id)}
                        >
                          Delete…
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div class="pager">
          <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            Previous
          </Button>
          <Button disabled={documents.length < PAGE_SIZE} onClick={() => setOffset(offset + PAGE_SIZE)}>
            Next
          </Button>
        </div>
      </section>
    </div>
  );
}

function TrackedJob({ id, onFinished }: { id: string; onFinished: () => void }) {
  const { client } = useApp();
  const { job, items, error } = useJob(client, id, onFinished);
  if (error) return <Alert>{error}</Alert>;
  if (!job) return <p role="status">Loading job {id.slice(0, 8)}…</p>;
  return <JobProgress job={job} items={items ?? []} />;
}
