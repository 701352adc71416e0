/**
 * What operators read in feedback: stored questions with personal data scrubbed, cited passages only
 * of documents their principals may read, and ratings that belong to whoever gave them (a customer
 * cannot overwrite another user's rating of an answer by its trace id).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createHttpApp } from './app.ts';

const SECRET_PASSAGE = 'Wire refunds above 9,000 dollars through the Zephyr reserve account';
const PUBLIC_PASSAGE = 'Returns are accepted within 30 days of delivery';
const EMAIL = 'jane.doe@example.com';

for (const backend of testBackends()) {
  describe(`feedback privacy on ${backend.name}`, () => {
    let db: Database;
    let app: Groundwork;
    let http: ReturnType<typeof createHttpApp>;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      db = await backend.open();
      const model = createScriptedLanguageModel(
        [{ text: 'Use the reserve account [1] within 30 days [2].' }],
        {
          repeat: true,
        },
      );
      app = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          embedder: 'none',
          auth: 'required',
          cache: { answers: { enabled: false } },
        }),
        { db, languageModel: { model, name: 'test:scripted' } },
      );
      const folder = await mkdtemp(path.join(os.tmpdir(), 'gw-feedback-'));
      try {
        await writeFile(
          path.join(folder, 'finance.md'),
          `# Refund reserve\n\n${SECRET_PASSAGE}. Refund wire.\n`,
        );
        await writeFile(path.join(folder, 'returns.md'), `# Returns\n\n${PUBLIC_PASSAGE}. Refund wire.\n`);
        await app.ingestion.submit(
          'default',
          { sources: [{ kind: 'path', path: path.join(folder, 'finance.md') }], acl: ['group:finance'] },
          { trusted: true },
        );
        await app.ingestion.submit(
          'default',
          { sources: [{ kind: 'path', path: path.join(folder, 'returns.md') }] },
          { trusted: true },
        );
        await app.ingestion.drain();
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      const key = async (name: string, role: 'customer' | 'operator', principals: string[]) =>
        (await app.keys.create({ tenantId: 'default', name, role, principals }, { actor: 'cli' })).secret;
      keys.finance = await key('finance-customer', 'customer', ['group:finance']);
      keys.other = await key('other-customer', 'customer', []);
      keys.operator = await key('operator', 'operator', []);
      keys.financeOperator = await key('finance-operator', 'operator', ['group:finance']);
      http = createHttpApp(app, { webRoot: null });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    const call = (key: string, route: string, body?: unknown) =>
      http.request(route, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${keys[key]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    let trace: string;
    it('a finance customer asks (citing the restricted passage) and rates the answer down', async () => {
      const asked = await call('finance', '/v1/ask', {
        question: `How do I wire a refund? Reply to ${EMAIL} or +1 415 555 0199.`,
      });
      expect(asked.status).toBe(200);
      const result = (await asked.json()) as { traceId: string; citations: { snippet: string }[] };
      expect(result.citations.some((citation) => citation.snippet.includes('Zephyr'))).toBe(true);
      trace = result.traceId;
      const rated = await call('finance', '/v1/feedback', {
        traceId: trace,
        rating: 'down',
        category: 'wrong',
      });
      expect(rated.status).toBe(201);
    });

    it('operators read the stored question with personal data scrubbed (list and export)', async () => {
      const listed = await (await call('operator', '/v1/feedback')).text();
      const exported = await (await call('operator', '/v1/feedback/export')).text();
      for (const text of [listed, exported]) {
        expect(text).toContain('How do I wire a refund?');
        expect(text).not.toContain(EMAIL);
        expect(text).not.toContain('555 0199');
      }
    });

    it('an operator without the principal reads no restricted passage, in the list or the export', async () => {
      const listed = await (await call('operator', '/v1/feedback')).text();
      const exported = await (await call('operator', '/v1/feedback/export')).text();
      for (const text of [listed, exported]) {
        expect(text).not.toContain('Zephyr');
        expect(text).not.toContain('reserve account');
      }
      const line = JSON.parse(exported.trim().split('\n')[0]!) as {
        citations: { snippet?: string }[];
        withheldCitations: number;
      };
      expect(line.withheldCitations).toBeGreaterThan(0);
      expect(line.citations.every((citation) => !citation.snippet?.includes('Zephyr'))).toBe(true);
    });

    it('an operator holding the principal reads the passage', async () => {
      const exported = await (await call('financeOperator', '/v1/feedback/export')).text();
      expect(exported).toContain('Zephyr');
    });

    it("another customer cannot overwrite the asker's rating by its trace id; each rater keeps their own", async () => {
      const overwrite = await call('other', '/v1/feedback', { traceId: trace, rating: 'up' });
      expect(overwrite.status).toBe(201);
      const again = await call('other', '/v1/feedback', { traceId: trace, rating: 'down', category: 'spam' });
      expect(again.status).toBe(201);
      const listed = (await (await call('financeOperator', '/v1/feedback')).json()) as {
        feedback: { traceId: string; rating: string; category: string | null; userId: string }[];
      };
      const ratings = listed.feedback.filter((row) => row.traceId === trace);
      expect(ratings).toHaveLength(2);
      const [askerKey] = (await app.keys.list('default')).filter((key) => key.name === 'finance-customer');
      const asker = ratings.find((row) => row.userId === askerKey!.id);
      expect(asker).toMatchObject({ rating: 'down', category: 'wrong' });
      expect(ratings.find((row) => row.userId !== askerKey!.id)).toMatchObject({
        rating: 'down',
        category: 'spam',
      });
    });
  });
}
