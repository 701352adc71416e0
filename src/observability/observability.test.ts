import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import type { Database } from '../store/database.ts';
import { getTrace, listTraces, writeSpans } from '../store/traces.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createObservability } from './observability.ts';
import type { SpanNode } from './span-tree.ts';
import { buildSpanTree } from './span-tree.ts';
import { activeTraceId, TRUNCATED_CONTENT_CHARACTERS, withSpan } from './tracer.ts';

const QUESTION = 'I am bob@example.com, card 4111 1111 1111 1111: how do I factory reset the router?';

let knowledge: string;

beforeAll(async () => {
  knowledge = await mkdtemp(path.join(tmpdir(), 'gw-observability-'));
  await mkdir(knowledge, { recursive: true });
  await writeFile(
    path.join(knowledge, 'router.md'),
    `# Router\n\nTo factory reset the router, hold the reset pin for ten seconds until the light blinks. ${'The router keeps its settings until it is reset, and the mesh nodes follow it within a minute. '.repeat(15)}\n`,
  );
});

/** An app over `db` with a model that answers with an e-mail address; `ingest` adds the one file. */
async function openApp(
  db: Database,
  observability: NonNullable<ConfigInput['observability']> = {},
  ingest = false,
) {
  const model = createScriptedLanguageModel([{ text: 'Hold the pin [1]. Questions: ana@example.com.' }], {
    repeat: true,
  });
  const app = await createGroundwork(loadConfig({ dataDir: 'memory://', observability }, {}), {
    db,
    languageModel: { model, name: 'test:scripted' },
  });
  if (ingest) {
    await app.ingestion.submit(
      'default',
      { sources: [{ kind: 'path', path: knowledge }] },
      { trusted: true },
    );
    await app.ingestion.drain();
  }
  return app;
}

async function askOnce(app: Groundwork): Promise<string> {
  const response = await createHttpApp(app).request('/v1/ask', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: QUESTION }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { traceId: string }).traceId;
}

async function spansOf(app: Groundwork, traceId: string): Promise<SpanNode[]> {
  await app.observability.flush();
  const found = await getTrace(app.db, 'default', traceId);
  if (!found) throw new Error(`trace ${traceId} was not stored`);
  return flatten(buildSpanTree(found.spans));
}

/** Where the test's e-mail addresses or card number appear in stored spans (span, field, excerpt). */
function personalDataIn(spans: readonly SpanNode[]): string[] {
  const pattern = /bob@example\.com|ana@example\.com|4111/;
  return spans.flatMap(({ children: _children, ...span }) =>
    Object.entries(span).flatMap(([field, value]) => {
      const text = JSON.stringify(value) ?? '';
      const at = text.search(pattern);
      return at < 0 ? [] : [`${span.name}.${field}: …${text.slice(Math.max(0, at - 80), at + 40)}…`];
    }),
  );
}

function flatten(nodes: readonly SpanNode[]): SpanNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

async function droppedSpans(app: Groundwork, sink: string): Promise<number> {
  const text = await app.observability.metrics.registry.metrics();
  return Number(
    new RegExp(`^groundwork_spans_dropped_total\\{sink="${sink}"\\} (\\d+)`, 'm').exec(text)?.[1],
  );
}

for (const backend of testBackends()) {
  describe(`observability on ${backend.name}`, () => {
    // One database for the suite (opening one is the slow part); each test builds its own apps on it.
    let db: Database;
    let base: Groundwork;
    const opened: Groundwork[] = [];
    const open = async (settings: NonNullable<ConfigInput['observability']> = {}) => {
      const app = await openApp(db, settings);
      opened.push(app);
      return app;
    };
    beforeAll(async () => {
      db = await backend.open();
      base = await openApp(db, {}, true);
    }, 120_000);
    afterAll(async () => {
      for (const app of opened) await app.close();
      await base?.close();
      await db?.close();
    });

    it('keeps prompt and completion text per the content setting, always scrubbed of PII', async () => {
      const modes = ['off', 'truncated', 'full'] as const;
      const chats: Record<string, Record<string, unknown>> = {};
      for (const contentCapture of modes) {
        const app = await open({ contentCapture });
        const spans = await spansOf(app, await askOnce(app));
        chats[contentCapture] = spans.find((span) => span.name === 'gen_ai.chat')?.attributes ?? {};
        expect(personalDataIn(spans)).toEqual([]);
      }
      expect(chats.off).not.toHaveProperty('gen_ai.input.messages');
      expect(chats.off).not.toHaveProperty('gen_ai.output.messages');
      expect(chats.off).toHaveProperty('gen_ai.usage.input_tokens');

      const truncated = String(chats.truncated?.['gen_ai.input.messages']);
      expect(truncated.length).toBeLessThanOrEqual(TRUNCATED_CONTENT_CHARACTERS + 1);
      expect(truncated.endsWith('…')).toBe(true);
      expect(chats.truncated?.['gen_ai.output.messages']).toBe('Hold the pin [1]. Questions: [email].');

      const full = String(chats.full?.['gen_ai.input.messages']);
      expect(full.length).toBeGreaterThan(TRUNCATED_CONTENT_CHARACTERS);
      expect(full).toContain('I am [email], card [card]: how do I factory reset the router?');
      expect(full).toContain('hold the reset pin for ten seconds');
    }, 120_000);

    it('stores spans in the order they started, even within one millisecond', async () => {
      // The SDK stamps starts with whole milliseconds; forty siblings started back to back share a
      // few milliseconds, so ordering by that stamp (ties broken by random span id) would shuffle them.
      const names = Array.from({ length: 40 }, (_, index) => `step-${String(index).padStart(2, '0')}`);
      const traceId = await base.observability.runRoot('ordering', 'default', {}, async () => {
        for (const name of names) await withSpan(name, {}, () => undefined);
        return activeTraceId() ?? '';
      });
      await base.observability.flush();
      const [root] = buildSpanTree((await getTrace(db, 'default', traceId))?.spans ?? []);
      expect(root?.children.map((child) => child.name)).toEqual(names);
    });
    it('traces each ingestion job with a span per file', async () => {
      const app = base;
      await app.observability.flush();
      const jobs = (await listTraces(app.db, 'default', { limit: 50 })).filter(
        (row) => row.name === 'ingest.job',
      );
      expect(jobs).toHaveLength(1);
      const found = await getTrace(app.db, 'default', (jobs[0] as { traceId: string }).traceId);
      const [root] = buildSpanTree(found?.spans ?? []);
      expect(root?.name).toBe('ingest.job');
      const file = root?.children.find((child) => child.name === 'ingest.file');
      expect(file?.attributes).toMatchObject({
        'groundwork.ingest.chunks': 1,
        'groundwork.ingest.status': 'done',
      });
      expect(file?.children.map((child) => child.name)).toEqual(
        expect.arrayContaining(['parse', 'chunk', 'store']),
      );
    });

    it('deletes traces older than the retention and keeps the rest', async () => {
      const app = await open({ retentionDays: 7 });
      const day = 24 * 60 * 60 * 1000;
      const now = Date.now();
      const span = (traceId: string, startedAt: number) => ({
        tenantId: 'default',
        traceId,
        spanId: '00f067aa0ba902b7',
        parentSpanId: null,
        name: 'POST /v1/ask',
        kind: 'server',
        status: 'unset' as const,
        startedAt,
        durationMs: 5,
        attributes: {},
        events: [],
      });
      const old = 'a'.repeat(32);
      const recent = 'b'.repeat(32);
      await writeSpans(
        app.db,
        [span(old, now - 8 * day), span(recent, now - 6 * day)],
        [
          { tenantId: 'default', traceId: old, startedAt: now - 8 * day, inputTokens: 0, outputTokens: 0 },
          { tenantId: 'default', traceId: recent, startedAt: now - 6 * day, inputTokens: 0, outputTokens: 0 },
        ],
      );
      expect(await app.observability.applyRetention(now)).toBe(1);
      expect(await getTrace(app.db, 'default', old)).toBeUndefined();
      expect((await getTrace(app.db, 'default', recent))?.spans).toHaveLength(1);
      const { rows } = await app.db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM trace_spans WHERE trace_id = $1',
        [old],
      );
      expect(rows[0]?.count).toBe(0);
    });

    it('drops and counts spans when the store queue is full', async () => {
      const observability = createObservability({
        db,
        settings: {
          enabled: true,
          sampleRatio: 1,
          contentCapture: 'off',
          retentionDays: 7,
          otlpTimeoutMs: 1000,
        },
        defaultTenant: 'default',
        maxQueuedSpans: 2,
      });
      try {
        await observability.runRoot('job', 'default', {}, async () => {
          await withSpan('one', {}, () => 1);
          await withSpan('two', {}, () => 2);
          await withSpan('three', {}, () => 3);
        });
        const text = await observability.metrics.registry.metrics();
        expect(text).toMatch(/^groundwork_spans_dropped_total\{sink="store"\} 2$/m);
        await observability.flush();
        const { rows } = await db.query<{ name: string }>(
          `SELECT name FROM trace_spans WHERE name IN ('job', 'one', 'two', 'three') ORDER BY name`,
        );
        expect(rows.map((row) => row.name)).toEqual(['one', 'two']);
      } finally {
        await observability.close();
      }
    });

    it('keeps answering when the OTLP collector refuses connections or hangs, and counts the lost spans', async () => {
      // A port that was just released refuses connections.
      const refusing = createServer();
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
      const refusedPort = (refusing.address() as AddressInfo).port;
      await new Promise<void>((resolve) => refusing.close(() => resolve()));

      let received = 0;
      const hanging: Server = createServer(() => {
        received++;
        // Never answers.
      });
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      const hangingPort = (hanging.address() as AddressInfo).port;
      try {
        for (const port of [refusedPort, hangingPort]) {
          const app = await open({ otlpEndpoint: `http://127.0.0.1:${port}`, otlpTimeoutMs: 200 });
          const traceId = await askOnce(app);
          if (port === hangingPort)
            await vi.waitFor(() => expect(received).toBeGreaterThan(0), { timeout: 20_000 });
          // With the collector down or stuck, more requests still answer.
          await askOnce(app);
          await askOnce(app);
          await vi.waitFor(async () => expect(await droppedSpans(app, 'otlp')).toBeGreaterThan(0), {
            timeout: 20_000,
            interval: 100,
          });
          // Our own store is unaffected.
          expect((await spansOf(app, traceId)).length).toBeGreaterThan(3);
          expect(await droppedSpans(app, 'store')).toBe(0);
        }
      } finally {
        hanging.closeAllConnections();
        await new Promise<void>((resolve) => hanging.close(() => resolve()));
      }
    }, 60_000);
  });
}
