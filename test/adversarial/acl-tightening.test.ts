/**
 * Adversarial cases for access withdrawn by a re-ingest (ADR 0028): a document everyone in `acme` could
 * read is re-ingested, unchanged, for `group:finance` only; then a former reader (and another tenant)
 * tries every route and filter to get at it, with the answer cache on, so an answer cached while the
 * document was public must not be served. Also: documents a caller may not read do not move that
 * caller's search scores.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRow } from '../../src/store/jobs.ts';
import { testBackends } from '../../src/testing/databases.ts';
import { type AdversarialCase, loadCases, runAll } from './run-cases.ts';
import { type Caller, openWorld, type World } from './world.ts';

const CODE = 'PARTNER-7731-ZETA';
const SECRETS = [CODE, 'Priya Raman', '61 dollars'];
const PRICING = `---
audience: resellers
---
# Partner pricing 2027

Resellers who order fifty Aurora mesh routers get a forty percent discount with the partner code ${CODE}.
The floor price for the Aurora thermostat is 61 dollars per unit, negotiated by Priya Raman.
`;
const QUESTION = 'What is the partner discount code for resellers?';

const cases = loadCases(path.join(import.meta.dirname, 'acl-tightening'));

for (const backend of testBackends()) {
  describe(`ACL tightening on ${backend.name}`, () => {
    let world: World;
    let folder: string;
    let file: string;
    let pricingId: number;

    const call = async (caller: Caller, route: string, body: unknown) => {
      const response = await world.http.request(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${world.keys[caller]}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const ingest = async (acl?: string[]) => {
      const submitted = await world.app.ingestion.submit(
        'acme',
        { sources: [{ kind: 'path', path: file }], ...(acl ? { acl } : {}) },
        { trusted: true },
      );
      await world.app.ingestion.drain();
      const job = (await world.app.ingestion.getJob('acme', submitted.id)) as JobRow;
      return (await world.app.ingestion.listItems(job.id))[0];
    };

    beforeAll(async () => {
      world = await openWorld(backend, { cache: { answers: { enabled: true } } });
      folder = await mkdtemp(path.join(os.tmpdir(), 'gw-tighten-'));
      file = path.join(folder, 'partner-pricing.md');
      await writeFile(file, PRICING);
      expect((await ingest())?.status).toBe('done');
      const { rows } = await world.app.db.query<{ id: string }>(
        'SELECT id::text FROM documents WHERE tenant_id = $1 AND origin_uri = $2',
        ['acme', file],
      );
      pricingId = Number(rows[0]?.id);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      await rm(folder, { recursive: true, force: true });
    });

    it('withdraws a document from a former reader on every route, with a warm answer cache', async () => {
      // While the document is public, the support caller is answered from it, and the answer is cached.
      world.behaviour = { kind: 'grounded' };
      const before = await call('acme-support', '/v1/ask', { question: QUESTION });
      expect(JSON.stringify(before.body)).toContain(CODE);
      const again = await call('acme-support', '/v1/ask', { question: QUESTION });
      expect(again.body.cached).toBe(true);

      const item = await ingest(['group:finance']);
      expect(item).toMatchObject({ status: 'updated', reason: 'access changed', chunks: 0 });

      const after = await call('acme-support', '/v1/ask', { question: QUESTION });
      expect(after.body.cached).not.toBe(true);
      expect(JSON.stringify(after.body)).not.toContain(CODE);

      const resolved = cases.map(
        (testCase): AdversarialCase => ({
          ...(JSON.parse(
            JSON.stringify(testCase)
              .replaceAll('"$PRICING_ID"', String(pricingId))
              .replaceAll('$PRICING_URI', JSON.stringify(folder).slice(1, -1)),
          ) as AdversarialCase),
          forbidden: SECRETS,
        }),
      );
      const { report } = await runAll(world, resolved);
      expect(report.tried).toBe(cases.length);
      expect(report.leaks).toEqual([]);
      expect(report.unmetCases).toEqual([]);

      // The new readers are answered from it; loosening gives it back to everyone.
      world.behaviour = { kind: 'grounded' };
      expect(JSON.stringify((await call('acme-finance', '/v1/ask', { question: QUESTION })).body)).toContain(
        CODE,
      );
      expect((await ingest())?.status).toBe('updated');
      expect(JSON.stringify((await call('acme-support', '/v1/ask', { question: QUESTION })).body)).toContain(
        CODE,
      );
    }, 300_000);

    it('does not move a caller’s search scores when documents the caller may not read come and go', async () => {
      const queries = [
        'how do I reset the router',
        'refund approvals above $5,000',
        'warranty claim thermostat serial label',
        'shipping to Alaska',
        'partner discount mesh routers',
      ];
      const search = async () => {
        const results = [];
        for (const query of queries) {
          const { body } = await call('acme-support', '/v1/search', { query, mode: 'lexical', limit: 20 });
          results.push(body.chunks);
        }
        return results;
      };
      const baseline = await search();
      expect(baseline.flat().length).toBeGreaterThan(20);
      const restricted = path.join(folder, 'finance-routers.md');
      await writeFile(
        restricted,
        '# Router refunds\n\nRouter refund approvals, warranty claims and shipping to Alaska for the finance team: reset every router, thermostat serial label, mesh routers, partner discount.\n'.repeat(
          3,
        ),
      );
      const submitted = await world.app.ingestion.submit(
        'acme',
        { sources: [{ kind: 'path', path: restricted }], acl: ['group:finance'] },
        { trusted: true },
      );
      await world.app.ingestion.drain();
      expect((await world.app.ingestion.listItems(submitted.id))[0]?.status).toBe('done');
      // The finance caller does see it, so the words really are in the index.
      const { body } = await call('acme-finance', '/v1/search', { query: queries[0], mode: 'lexical' });
      expect(JSON.stringify(body)).toContain('finance-routers.md');
      expect(await search()).toEqual(baseline);
      await ingest(['group:finance', 'user:ops']);
      expect(await search()).not.toEqual(baseline);
    }, 120_000);
  });
}
