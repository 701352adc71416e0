/** One job: a progress bar, its counts, and the files that failed with their reasons. */
import type { Job, JobItem } from '../../api/knowledge.ts';
import { Alert } from '../../components/alert.tsx';

/** The job's live state. */
export function JobProgress({ job, items }: { job: Job; items: readonly JobItem[] }) {
  const failures = items.filter((item) => item.status === 'failed');
  const label = `Job ${job.id.slice(0, 8)}`;
  return (
    <section class="card job" aria-label={label} data-status={job.status}>
      <header class="job-header">
        <h3>{label}</h3>
        <span class={`status status-${job.status}`}>{job.status}</span>
      </header>
      <progress max={Math.max(job.total, 1)} value={job.processed} aria-label={`${label} progress`} />
      <p class="job-counts">
        {job.processed} of {job.total} files · {job.succeeded} ingested · {job.skipped} unchanged ·{' '}
        {job.failed} failed · {job.chunks} chunks
      </p>
      {job.error && <Alert>{job.error}</Alert>}
      {failures.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <caption>Files that failed</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Code</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {failures.map((item) => (
                <tr key={item.ordinal}>
                  <td class="mono">{item.uri}</td>
                  <td class="mono">{item.code}</td>
                  <td>{item.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
