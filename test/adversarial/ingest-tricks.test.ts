import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/databases.ts';
import { INGEST_SECRET, type IngestWorld, openIngestWorld } from './ingest/world.ts';

/** One trick: a source an attacker (or a careless admin) submits, and what must happen to it. */
interface IngestCase {
  readonly id: string;
  readonly category: 'path' | 'url' | 'redirect';
  readonly source:
    | { readonly kind: 'path'; readonly path: string }
    | { readonly kind: 'url'; readonly url: string };
  /** `refused`: a 400 or only failed items; `failed`: a per-item failure; `allowed`: a control that must work. */
  readonly expect: 'refused' | 'failed' | 'allowed';
  readonly note?: string;
}

const CASES = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'ingest', 'cases.json'), 'utf8'),
) as IngestCase[];
/** Codes a refusal may carry: stable, and none of them says more than "no". */
const REFUSAL_CODES = ['path_not_allowed', 'url_not_allowed', 'invalid_request'];
const ITEM_FAILURE_CODES = [
  'path_not_allowed',
  'path_changed',
  'url_not_allowed',
  'fetch_failed',
  'not_found',
  'timeout',
];
const LEAKY =
  /ECONN|EHOST|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|getaddrinfo|127\.0\.0\.|::1|:\d{2,5}\b|169\.254|\bat .+\.[cm]?[jt]s:\d+/i;

interface Verdict {
  readonly id: string;
  readonly outcome: 'refused' | 'failed' | 'allowed' | 'error';
  readonly problems: readonly string[];
}

async function runCase(world: IngestWorld, testCase: IngestCase): Promise<Verdict> {
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (_match, name: string) => world.placeholders[name] ?? name);
  const source =
    testCase.source.kind === 'path'
      ? { kind: 'path', path: fill(testCase.source.path) }
      : { kind: 'url', url: fill(testCase.source.url) };
  const response = await world.http.request('/v1/ingest', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sources: [source] }),
  });
  const text = await response.text();
  const problems: string[] = [];
  if (text.includes(INGEST_SECRET)) problems.push('secret in the response');
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  if (response.status === 400) {
    const code = (JSON.parse(text) as { error: { code: string } }).error.code;
    if (!REFUSAL_CODES.includes(code)) problems.push(`refusal code ${code}`);
    return { id: testCase.id, outcome: 'refused', problems };
  }
  if (response.status !== 202)
    return { id: testCase.id, outcome: 'error', problems: [...problems, `HTTP ${response.status}`] };
  const jobId = (JSON.parse(text) as { job: { id: string } }).job.id;
  await world.app.ingestion.drain();
  const report = await (await world.http.request(`/v1/jobs/${jobId}`)).text();
  if (report.includes(INGEST_SECRET)) problems.push('secret in the job report');
  const items = (
    JSON.parse(report) as { items: { status: string; code: string | null; reason: string | null }[] }
  ).items;
  if (items.length > 0 && items.every((item) => item.status === 'done' || item.status === 'unchanged')) {
    return { id: testCase.id, outcome: 'allowed', problems };
  }
  for (const item of items) {
    if (item.status !== 'failed') problems.push(`item ${item.status}`);
    else if (!ITEM_FAILURE_CODES.includes(item.code ?? '')) problems.push(`item code ${item.code}`);
    if (testCase.category !== 'path' && LEAKY.test(item.reason ?? ''))
      problems.push(`leaky reason: ${item.reason}`);
  }
  const outcome = items.every((item) => item.code === 'not_found') ? 'failed' : 'refused';
  return { id: testCase.id, outcome, problems };
}

for (const backend of testBackends()) {
  describe(`ingestion tricks on ${backend.name}`, () => {
    let world: IngestWorld;
    beforeAll(async () => {
      world = await openIngestWorld(backend);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
    });

    it('has at least 40 distinct held-out tricks besides its controls', () => {
      expect(new Set(CASES.map((testCase) => testCase.id)).size).toBe(CASES.length);
      expect(new Set(CASES.map((testCase) => JSON.stringify(testCase.source))).size).toBe(CASES.length);
      expect(CASES.filter((testCase) => testCase.expect === 'refused').length).toBeGreaterThanOrEqual(40);
    });

    it('reads nothing it must not, answers every trick with a stable refusal, and still ingests the controls', async () => {
      const verdicts: Verdict[] = [];
      for (const testCase of CASES) {
        if (testCase.source.kind === 'url' && testCase.source.url.includes('{front}') && !world.hasFront)
          continue;
        const verdict = await runCase(world, testCase);
        const wanted =
          testCase.expect === 'failed'
            ? ['failed']
            : testCase.expect === 'allowed'
              ? ['allowed']
              : ['refused', 'failed'];
        const problems = [...verdict.problems];
        if (!wanted.includes(verdict.outcome)) problems.push(`${verdict.outcome}, wanted ${testCase.expect}`);
        verdicts.push({ ...verdict, problems });
      }
      expect(verdicts.filter((verdict) => verdict.problems.length > 0)).toEqual([]);
      expect(world.internalHits).toEqual([]);
      const { rows } = await world.app.db.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM chunks WHERE text LIKE '%' || $1 || '%'`,
        [INGEST_SECRET],
      );
      expect(Number(rows[0]?.count)).toBe(0);
    }, 300_000);
  });
}
