/**
 * @module test/faults/load
 * Mixed HTTP load for the fault suite, as real clients send it: searches, questions, ratings of the
 * answers, ingestion jobs by path (resubmitted after a 503, which is safe: a path is its document's
 * key) and file uploads (never resubmitted: an upload that got no 202 is not acknowledged). Every
 * response is recorded with its time, status and error code.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from '../../src/os/abortable.ts';

/** One response. */
export interface Sample {
  readonly route: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: number;
  readonly code?: string;
  readonly retryAfter?: string | null;
}

/** What the load did. */
export interface LoadReport {
  readonly samples: Sample[];
  /** Ingestion jobs acknowledged (202), by path jobs and uploads. */
  readonly jobIds: string[];
  /** Upload file names acknowledged with a 202. */
  readonly ackedUploads: string[];
  /** Upload file names refused with a 503 (not acknowledged, not resubmitted). */
  readonly refusedUploads: string[];
  /** Ingestion requests answered with something other than 202 or 503 (or nothing at all). */
  readonly rejectedSubmits: string[];
}

/** Options of `runLoad`. */
export interface LoadOptions {
  readonly baseUrl: string;
  /** Path batches to ingest, submitted one after another over the run. */
  readonly ingestBatches: readonly (readonly string[])[];
  readonly uploads: readonly string[];
  /** Resolves when the load should stop (after its ingestion and uploads were all submitted). */
  readonly until: Promise<void>;
}

const QUESTIONS = [
  'How do I reset the router firmware?',
  'What is the warranty on a thermostat battery?',
  'How long does shipping by courier take?',
  'How do I pair the sensor over bluetooth?',
];

/** Runs the load until `until` resolves and every batch and upload was submitted. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = {
    samples: [],
    jobIds: [],
    ackedUploads: [],
    refusedUploads: [],
    rejectedSubmits: [],
  };
  let stopping = false;
  void options.until.then(() => {
    stopping = true;
  });
  const traceIds: string[] = [];

  const send = async (route: string, init: RequestInit): Promise<{ status: number; body: unknown }> => {
    const startedAt = Date.now();
    let status = 0;
    let body: unknown;
    let retryAfter: string | null = null;
    try {
      const response = await fetch(`${options.baseUrl}${route}`, {
        ...init,
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    } catch (error) {
      // No response at all (a reset, a hang): recorded as status 0, which the test refuses.
      body = { error: { code: `no_response: ${(error as Error).message}` } };
    }
    const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
    report.samples.push({ route, startedAt, endedAt: Date.now(), status, code, retryAfter });
    return { status, body };
  };
  const json = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  const searcher = async () => {
    for (let turn = 0; !stopping; turn++) {
      await send('/v1/search', json({ query: QUESTIONS[turn % QUESTIONS.length], mode: 'hybrid' }));
      await sleep(60);
    }
  };
  const asker = async () => {
    for (let turn = 0; !stopping; turn++) {
      const { status, body } = await send('/v1/ask', json({ question: QUESTIONS[turn % QUESTIONS.length] }));
      const traceId = (body as { traceId?: string }).traceId;
      if (status === 200 && traceId) traceIds.push(traceId);
      await sleep(80);
    }
  };
  const rater = async () => {
    while (!stopping) {
      const traceId = traceIds.shift();
      if (traceId) await send('/v1/feedback', json({ traceId, rating: 'up', comment: 'fault suite' }));
      await sleep(150);
    }
  };
  const ingester = async () => {
    for (const batch of options.ingestBatches) {
      for (;;) {
        const { status, body } = await send(
          '/v1/ingest',
          json({ sources: batch.map((file) => ({ kind: 'path', path: file })) }),
        );
        if (status === 202) {
          report.jobIds.push((body as { job: { id: string } }).job.id);
          break;
        }
        if (status !== 503) {
          // A dead or broken server: recorded for the test to report, and the batch given up.
          report.rejectedSubmits.push(`POST /v1/ingest answered ${status}: ${JSON.stringify(body)}`);
          break;
        }
        await sleep(250);
      }
      await sleep(700);
    }
  };
  const uploader = async () => {
    for (const file of options.uploads) {
      const form = new FormData();
      form.append('file', new File([await readFile(file)], path.basename(file), { type: 'text/markdown' }));
      const { status, body } = await send('/v1/documents', { method: 'POST', body: form });
      if (status === 202) {
        report.jobIds.push((body as { job: { id: string } }).job.id);
        report.ackedUploads.push(path.basename(file));
      } else report.refusedUploads.push(path.basename(file));
      await sleep(900);
    }
  };
  const submitting = Promise.all([ingester(), uploader()]);
  await Promise.all([searcher(), asker(), rater(), submitting]);
  return report;
}
