/**
 * Follows one ingestion job: polls `GET /v1/jobs/:id` until the job ends. Polling (rather than the
 * job's SSE route) needs no header-less EventSource and picks up the per-file outcomes each time.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../api/http.ts';
import { getJob, type Job, type JobDetail, jobFinished } from '../../api/knowledge.ts';

const POLL_MS = 600;

/** The job and its items, refreshed until it finishes; `onFinished` runs once at the end. */
export function useJob(client: ApiClient, id: string | null, onFinished: (job: Job) => void) {
  const [state, setState] = useState<JobDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await getJob(client, id);
        if (stopped) return;
        setState(next);
        setError(null);
        if (jobFinished(next.job)) return onFinished(next.job);
      } catch (failure) {
        if (stopped) return;
        setError((failure as Error).message);
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, id, onFinished]);
  return { ...state, error };
}
