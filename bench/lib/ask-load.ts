/**
 * @module bench/lib/ask-load
 * Drives `POST /v1/ask` of an in-process HTTP app with N concurrent lanes and reports per-request
 * latency: the whole round trip, and the overhead left after the answer's own retrieval and
 * generation timings.
 */

/** Anything with Hono's `request`. */
export interface RequestTarget {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

/** One run's figures in milliseconds (requests per second for throughput). */
export interface LoadRun {
  readonly overheads: number[];
  readonly totals: number[];
  readonly throughput: number;
}

/** Sends `requests` questions (cycling through `questions`) over `concurrency` lanes. */
export async function runAskLoad(
  http: RequestTarget,
  questions: readonly string[],
  options: { requests: number; concurrency: number; expectMode?: string },
): Promise<LoadRun> {
  const overheads: number[] = [];
  const totals: number[] = [];
  let next = 0;
  const started = performance.now();
  const one = async (index: number) => {
    const begun = performance.now();
    const response = await http.request('/v1/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: questions[index % questions.length] }),
    });
    const body = (await response.json()) as {
      timings: { retrieveMs: number; generateMs: number };
      mode: string;
    };
    const total = performance.now() - begun;
    if (response.status !== 200 || (options.expectMode && body.mode !== options.expectMode)) {
      throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
    }
    totals.push(total);
    overheads.push(total - body.timings.retrieveMs - body.timings.generateMs);
  };
  const lane = async () => {
    while (next < options.requests) await one(next++);
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { overheads, totals, throughput: totals.length / ((performance.now() - started) / 1000) };
}
