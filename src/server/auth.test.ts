import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupportApp } from '../../apps/support/create-support-app.ts';
import { createKnowledgeIndex } from '../../apps/support/knowledge-index.ts';
import { createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import type { Role } from '../identity/roles.ts';
import { type TestBackend, testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';
import { mountedRoutes } from './route-table.ts';

type Http = ReturnType<typeof createHttpApp>;
type Outcome = number | 'forbidden';

const QUESTION = 'How long do I have to return a thermostat?';
const ROLES: Role[] = ['customer', 'operator', 'admin'];
const NO_ESCALATION = '00000000-0000-4000-8000-000000000000';

function configFor(overrides: ConfigInput = {}) {
  return loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' }, ...overrides });
}

async function openApp(backend: TestBackend, overrides: ConfigInput = {}) {
  const db = await backend.open();
  const app = await createGroundwork(configFor(overrides), { db });
  app.ingestion.start(50);
  // The support app's routes are in the registry, so the matrix checks them mounted (no model: routed).
  const supportApp = await createSupportApp(app, { retriever: await createKnowledgeIndex() });
  return {
    app,
    http: createHttpApp(app, supportApp.http),
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

function call(http: Http, secret: string | undefined, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (secret) headers.set('authorization', `Bearer ${secret}`);
  return http.request(path, { ...init, headers });
}

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function uploadForm(name: string, content: string): RequestInit {
  const form = new FormData();
  form.append('file', new File([content], name, { type: 'text/markdown' }));
  return { method: 'POST', body: form };
}

async function waitForJob(http: Http, secret: string, id: string) {
  for (let attempt = 0; attempt < 400; attempt++) {
    const body = (await (await call(http, secret, `/v1/jobs/${id}`)).json()) as { job: { status: string } };
    if (['done', 'failed', 'cancelled'].includes(body.job.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('job did not finish');
}

/** Uploads one Markdown file as `secret` and returns the job and document ids once ingested. */
async function ingestOne(http: Http, secret: string, name: string, content: string) {
  const response = await call(http, secret, '/v1/documents', uploadForm(name, content));
  expect(response.status).toBe(202);
  const { job } = (await response.json()) as { job: { id: string } };
  await waitForJob(http, secret, job.id);
  const list = (await (await call(http, secret, '/v1/documents')).json()) as {
    documents: { id: number; uri: string }[];
  };
  const document = list.documents.find((entry) => entry.uri.endsWith(name));
  return { jobId: job.id, documentId: document!.id };
}

for (const backend of testBackends()) {
  describe(`API keys over HTTP on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;
    let close: () => Promise<void>;
    const secrets = {} as Record<Role, string>;
    let tenantA: { jobId: string; documentId: number };

    beforeAll(async () => {
      ({ app, http, close } = await openApp(backend));
      for (const role of ROLES) {
        secrets[role] = (
          await app.keys.create({ tenantId: 'acme', name: role, role }, { actor: 'cli' })
        ).secret;
      }
      tenantA = await ingestOne(
        http,
        secrets.admin,
        'returns.md',
        '# Returns and refunds\n\nThermostats can be returned within 30 days of delivery.',
      );
    }, 180_000);
    afterAll(async () => {
      await close?.();
    });

    it('refuses missing, unknown and malformed keys with 401, a code and www-authenticate', async () => {
      const cases: [Record<string, string>, string][] = [
        [{}, 'missing_api_key'],
        [{ authorization: 'Bearer sk-unused' }, 'invalid_api_key'],
        [{ authorization: `Bearer gw_000000000000_${'a'.repeat(43)}` }, 'invalid_api_key'],
        [{ 'x-api-key': 'gw_nope' }, 'invalid_api_key'],
      ];
      for (const [headers, code] of cases) {
        const response = await http.request('/v1/search', {
          ...json({ query: 'returns' }),
          headers: { ...headers, 'content-type': 'application/json' },
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
      }
      const viaHeader = await http.request('/v1/models', { headers: { 'x-api-key': secrets.customer } });
      expect(viaHeader.status).toBe(200);
      // OpenAI-compatible routes refuse in OpenAI's error shape.
      const openai = await http.request('/v1/models');
      expect(await openai.json()).toMatchObject({
        error: { code: 'missing_api_key', type: 'invalid_request_error', param: null },
      });
    });

    it('lets each role call exactly the routes of the role matrix', async () => {
      const throwawayKey = async () =>
        (await app.keys.create({ tenantId: 'acme', name: 'throwaway', role: 'customer' }, { actor: 'cli' }))
          .key.id;
      // The least role of each route, written out independently of the registry, and the status an
      // allowed caller gets.
      const matrix: [string, 'public' | Role, number, () => Promise<[string, RequestInit?]>][] = [
        ['get /healthz', 'public', 200, async () => ['/healthz']],
        ['get /readyz', 'public', 200, async () => ['/readyz']],
        ['get /openapi.json', 'public', 200, async () => ['/openapi.json']],
        ['post /v1/search', 'customer', 200, async () => ['/v1/search', json({ query: 'returns' })]],
        ['post /v1/ask', 'customer', 200, async () => ['/v1/ask', json({ question: QUESTION })]],
        ['post /v1/chat', 'customer', 200, async () => ['/v1/chat', json({ question: QUESTION })]],
        ['get /v1/models', 'customer', 200, async () => ['/v1/models']],
        ['get /v1/me', 'customer', 200, async () => ['/v1/me']],
        // Any key may issue a session (a customer key an anonymous one); staff revoke them.
        ['post /v1/sessions', 'customer', 201, async () => ['/v1/sessions', { method: 'POST' }]],
        [
          'delete /v1/sessions/:id',
          'operator',
          200,
          async () => [
            `/v1/sessions/${(await app.sessions.create({ tenantId: 'acme' }, { actor: 'cli' })).session.id}`,
            { method: 'DELETE' },
          ],
        ],
        [
          'delete /v1/sessions',
          'operator',
          200,
          async () => [`/v1/sessions?keyId=${await throwawayKey()}`, { method: 'DELETE' }],
        ],
        [
          'post /v1/support/messages',
          'customer',
          200,
          async () => ['/v1/support/messages', json({ message: 'Hello' })],
        ],
        // Data-subject rights act on the caller's tenant; an unknown customer exports and erases nothing.
        [
          'get /v1/admin/privacy/customers/:id/export',
          'admin',
          200,
          async () => ['/v1/admin/privacy/customers/matrix-probe/export'],
        ],
        [
          'delete /v1/admin/privacy/customers/:id',
          'admin',
          200,
          async () => ['/v1/admin/privacy/customers/matrix-probe', { method: 'DELETE' }],
        ],
        ['get /v1/support/approvals', 'operator', 200, async () => ['/v1/support/approvals']],
        [
          'post /v1/support/approvals/:runId/approve',
          'operator',
          404,
          async () => [`/v1/support/approvals/${NO_ESCALATION}/approve`, { method: 'POST' }],
        ],
        [
          'post /v1/support/approvals/:runId/reject',
          'operator',
          404,
          async () => [`/v1/support/approvals/${NO_ESCALATION}/reject`, { method: 'POST' }],
        ],
        ['get /v1/support/lockouts', 'operator', 200, async () => ['/v1/support/lockouts']],
        [
          'delete /v1/support/lockouts/:id',
          'operator',
          404,
          async () => ['/v1/support/lockouts/999999999', { method: 'DELETE' }],
        ],
        [
          'post /v1/chat/completions',
          'customer',
          200,
          async () => [
            '/v1/chat/completions',
            json({ model: 'groundwork', messages: [{ role: 'user', content: QUESTION }] }),
          ],
        ],
        // Sources: an id that does not exist, so the matrix changes nothing.
        ['get /v1/sources', 'admin', 200, async () => ['/v1/sources']],
        ['post /v1/sources', 'admin', 400, async () => ['/v1/sources', json({ kind: 'folder' })]],
        ['get /v1/sources/:id', 'admin', 404, async () => [`/v1/sources/${NO_ESCALATION}`]],
        [
          'patch /v1/sources/:id',
          'admin',
          404,
          async () => [`/v1/sources/${NO_ESCALATION}`, json({ name: 'renamed' }, 'PATCH')],
        ],
        [
          'delete /v1/sources/:id',
          'admin',
          404,
          async () => [`/v1/sources/${NO_ESCALATION}`, { method: 'DELETE' }],
        ],
        [
          'post /v1/sources/:id/sync',
          'admin',
          404,
          async () => [`/v1/sources/${NO_ESCALATION}/sync`, { method: 'POST' }],
        ],
        [
          'post /v1/sources/:id/events',
          'customer',
          404,
          async () => [`/v1/sources/${NO_ESCALATION}/events`, json({ Records: [] })],
        ],
        ['get /v1/jobs', 'operator', 200, async () => ['/v1/jobs']],
        ['get /v1/jobs/:id', 'operator', 200, async () => [`/v1/jobs/${tenantA.jobId}`]],
        ['get /v1/jobs/:id/events', 'operator', 200, async () => [`/v1/jobs/${tenantA.jobId}/events`]],
        [
          'delete /v1/jobs/:id',
          'admin',
          200,
          async () => [`/v1/jobs/${tenantA.jobId}`, { method: 'DELETE' }],
        ],
        [
          'post /v1/ingest',
          'admin',
          400,
          async () => ['/v1/ingest', json({ sources: [{ kind: 'path', path: '/etc' }] })],
        ],
        [
          'post /v1/documents',
          'admin',
          202,
          async () => ['/v1/documents', uploadForm('matrix.md', '# M\n\nx')],
        ],
        ['get /v1/documents', 'admin', 200, async () => ['/v1/documents']],
        ['get /v1/documents/:id', 'admin', 200, async () => [`/v1/documents/${tenantA.documentId}`]],
        [
          'get /v1/documents/:id/original',
          'admin',
          200,
          async () => [`/v1/documents/${tenantA.documentId}/original`],
        ],
        // A document that does not exist, so the matrix deletes nothing.
        [
          'delete /v1/documents/:id',
          'admin',
          404,
          async () => ['/v1/documents/999999', { method: 'DELETE' }],
        ],
        [
          'post /v1/admin/keys',
          'admin',
          201,
          async () => ['/v1/admin/keys', json({ name: 'made', role: 'customer' })],
        ],
        ['get /v1/admin/keys', 'admin', 200, async () => ['/v1/admin/keys']],
        [
          'get /v1/admin/privacy/customers/:id/export',
          'admin',
          200,
          async () => ['/v1/admin/privacy/customers/nobody-here/export'],
        ],
        [
          'delete /v1/admin/privacy/customers/:id',
          'admin',
          200,
          async () => ['/v1/admin/privacy/customers/nobody-here', { method: 'DELETE' }],
        ],
        ['get /v1/admin/guardrails', 'admin', 200, async () => ['/v1/admin/guardrails']],
        // `{}` keeps the defaults, so the matrix changes no tenant's settings.
        ['put /v1/admin/guardrails', 'admin', 200, async () => ['/v1/admin/guardrails', json({}, 'PUT')]],
        [
          'post /v1/admin/keys/:id/revoke',
          'admin',
          200,
          async () => [`/v1/admin/keys/${await throwawayKey()}/revoke`, { method: 'POST' }],
        ],
        [
          'post /v1/admin/keys/:id/rotate',
          'admin',
          200,
          async () => [`/v1/admin/keys/${await throwawayKey()}/rotate`, { method: 'POST' }],
        ],
        [
          'post /v1/admin/keys/:id/quota',
          'admin',
          200,
          async () => [
            `/v1/admin/keys/${await throwawayKey()}/quota`,
            json({ quota: { period: 'day', requests: 100 } }),
          ],
        ],
        ['get /v1/traces', 'operator', 200, async () => ['/v1/traces']],
        // A trace that does not exist: allowed roles get 404, the others are refused first.
        ['get /v1/traces/:id', 'operator', 404, async () => [`/v1/traces/${'0'.repeat(32)}`]],
        // Metrics span tenants: acme's admin is refused for want of the platform scope (tested below).
        ['get /metrics', 'admin', 403, async () => ['/metrics']],
        ['get /v1/usage', 'admin', 200, async () => ['/v1/usage']],
        ['get /v1/prompts', 'admin', 200, async () => ['/v1/prompts']],
        // Invalid bodies and unknown names, so the matrix changes no prompt or experiment.
        ['post /v1/prompts', 'admin', 400, async () => ['/v1/prompts', json({})]],
        ['get /v1/prompts/:name', 'admin', 200, async () => ['/v1/prompts/rag.system']],
        [
          'get /v1/prompts/:name/versions/:version',
          'admin',
          200,
          async () => ['/v1/prompts/rag.system/versions/1'],
        ],
        [
          'post /v1/prompts/:name/promote',
          'admin',
          404,
          async () => ['/v1/prompts/no.such.prompt/promote', json({ version: 1 })],
        ],
        [
          'post /v1/prompts/:name/rollback',
          'admin',
          404,
          async () => ['/v1/prompts/no.such.prompt/rollback', { method: 'POST' }],
        ],
        [
          'post /v1/prompts/:name/render',
          'admin',
          200,
          async () => ['/v1/prompts/rag.user/render', json({ values: { question: 'q', passages: 'p' } })],
        ],
        ['post /v1/experiments', 'admin', 400, async () => ['/v1/experiments', json({})]],
        ['get /v1/experiments', 'admin', 200, async () => ['/v1/experiments']],
        [
          'get /v1/experiments/:id',
          'admin',
          404,
          async () => ['/v1/experiments/00000000-0000-0000-0000-000000000000'],
        ],
        [
          'get /v1/experiments/:id/results',
          'admin',
          404,
          async () => ['/v1/experiments/00000000-0000-0000-0000-000000000000/results'],
        ],
        [
          'post /v1/experiments/:id/stop',
          'admin',
          404,
          async () => ['/v1/experiments/00000000-0000-0000-0000-000000000000/stop', { method: 'POST' }],
        ],
        [
          'post /v1/feedback',
          'customer',
          404,
          async () => ['/v1/feedback', json({ traceId: '0'.repeat(32), rating: 'up' })],
        ],
        ['get /v1/feedback', 'operator', 200, async () => ['/v1/feedback']],
        ['get /v1/feedback/export', 'operator', 200, async () => ['/v1/feedback/export']],
        // Agent services: an escalation id that does not exist, so the matrix changes nothing.
        ['get /v1/inbox', 'operator', 200, async () => ['/v1/inbox']],
        ['get /v1/inbox/events', 'operator', 200, async () => ['/v1/inbox/events?limit=1']],
        ['get /v1/inbox/summary', 'operator', 200, async () => ['/v1/inbox/summary']],
        ['get /v1/inbox/:id', 'operator', 404, async () => [`/v1/inbox/${NO_ESCALATION}`]],
        [
          'post /v1/inbox/:id/claim',
          'operator',
          404,
          async () => [`/v1/inbox/${NO_ESCALATION}/claim`, { method: 'POST' }],
        ],
        [
          'post /v1/inbox/:id/reply',
          'operator',
          404,
          async () => [`/v1/inbox/${NO_ESCALATION}/reply`, json({ text: 'Hello' })],
        ],
        [
          'post /v1/inbox/:id/handback',
          'operator',
          404,
          async () => [`/v1/inbox/${NO_ESCALATION}/handback`, { method: 'POST' }],
        ],
        [
          'post /v1/inbox/:id/close',
          'operator',
          404,
          async () => [`/v1/inbox/${NO_ESCALATION}/close`, { method: 'POST' }],
        ],
        [
          'get /v1/conversations/:id/messages',
          'customer',
          200,
          async () => [`/v1/conversations/${(await app.chat.open('acme', undefined, 'Hi')).id}/messages`],
        ],
      ];
      // Every route the API serves is in the matrix, so a new route cannot skip this test.
      expect(new Set(matrix.map(([route]) => route))).toEqual(
        new Set(mountedRoutes(http).map((route) => `${route.method} ${route.path}`)),
      );
      const rank = (role: 'public' | Role) => ['public', ...ROLES].indexOf(role);
      const seen: string[] = [];
      for (const [route, least, allowedStatus, build] of matrix) {
        for (const role of ROLES) {
          const expected: Outcome = rank(role) >= rank(least) ? allowedStatus : 'forbidden';
          const [path, init] = await build();
          const response = await call(http, secrets[role], path, init);
          const body = await response.text();
          const outcome: Outcome =
            response.status === 403 && body.includes('forbidden_role') ? 'forbidden' : response.status;
          seen.push(`${route} as ${role}: ${outcome}`);
          expect(`${route} as ${role}: ${outcome}`).toBe(`${route} as ${role}: ${expected}`);
        }
      }
      expect(seen).toHaveLength(matrix.length * ROLES.length);
    });

    it('gives the route the key’s tenant and principals plus key:<id>', async () => {
      const issued = await app.keys.create(
        { tenantId: 'acme', name: 'hr', role: 'customer', principals: ['group:hr'] },
        { actor: 'cli' },
      );
      const form = new FormData();
      form.append('file', new File(['# Pensions\n\nThe pension plan matches five percent.'], 'pension.md'));
      form.append('acl', 'group:hr');
      const upload = await call(http, secrets.admin, '/v1/documents', { method: 'POST', body: form });
      const { job } = (await upload.json()) as { job: { id: string } };
      await waitForJob(http, secrets.admin, job.id);
      const pension = async (secret: string) =>
        (
          (await (await call(http, secret, '/v1/search', json({ query: 'pension plan' }))).json()) as {
            chunks: unknown[];
          }
        ).chunks.length;
      expect(await pension(issued.secret)).toBeGreaterThan(0);
      expect(await pension(secrets.customer)).toBe(0);
      // A document shared with one key by its `key:<id>` principal.
      const memo = new FormData();
      memo.append('file', new File(['# Memo\n\nThe kiwi shipment arrives Tuesday.'], 'memo.md'));
      memo.append('acl', `key:${issued.key.id}`);
      const memoJob = (await (
        await call(http, secrets.admin, '/v1/documents', { method: 'POST', body: memo })
      ).json()) as { job: { id: string } };
      await waitForJob(http, secrets.admin, memoJob.job.id);
      const kiwi = async (secret: string) =>
        (
          (await (await call(http, secret, '/v1/search', json({ query: 'kiwi shipment' }))).json()) as {
            chunks: unknown[];
          }
        ).chunks.length;
      expect(await kiwi(issued.secret)).toBeGreaterThan(0);
      expect(await kiwi(secrets.admin)).toBe(0);
    });

    it('isolates tenants: another tenant’s admin gets 404 and no data for every id of tenant A', async () => {
      const chat = await call(http, secrets.customer, '/v1/chat', json({ question: QUESTION }));
      const conversationId = ((await chat.json()) as { conversationId: string }).conversationId;
      const keyA = (
        await app.keys.create({ tenantId: 'acme', name: 'a-key', role: 'customer' }, { actor: 'cli' })
      ).key.id;
      const adminB = (
        await app.keys.create({ tenantId: 'globex', name: 'b-admin', role: 'admin' }, { actor: 'cli' })
      ).secret;
      const traceId = (
        (await (await call(http, secrets.customer, '/v1/ask', json({ question: QUESTION }))).json()) as {
          traceId: string;
        }
      ).traceId;
      const escalation = await app.inbox.escalate({
        tenantId: 'acme',
        conversationId,
        trigger: 'customer-request',
        reason: 'Asked for a person',
      });
      const experiment = await app.experiments.create('acme', {
        name: 'isolation probe',
        promptName: 'rag.system',
        arms: [
          { name: 'a', version: 1, weight: 1 },
          { name: 'b', version: 1, weight: 1 },
        ],
      });
      const sessionA = (await app.sessions.create({ tenantId: 'acme' }, { actor: 'cli' })).session.id;
      const { rows: lockouts } = await app.db.query<{ id: string }>(
        `INSERT INTO support_verification_limits (tenant_id, dimension, subject, failures, locked_until)
         VALUES ('acme', 'customer', 'cust-probe', 10, now() + interval '1 hour') RETURNING id::text AS id`,
      );
      const sourceA = (
        await app.sources.create('acme', {
          kind: 'urls',
          name: 'isolation probe',
          urls: ['https://example.com/'],
        })
      ).source.id;
      const probes: [string, RequestInit?][] = [
        [`/v1/sources/${sourceA}`],
        [`/v1/sources/${sourceA}`, json({ name: 'taken' }, 'PATCH')],
        [`/v1/sources/${sourceA}`, { method: 'DELETE' }],
        [`/v1/sources/${sourceA}/sync`, { method: 'POST' }],
        [`/v1/sources/${sourceA}/events`, json({ Records: [] })],
        [`/v1/traces/${traceId}`],
        [`/v1/sessions/${sessionA}`, { method: 'DELETE' }],
        [`/v1/sessions?keyId=${keyA}`, { method: 'DELETE' }],
        [`/v1/support/lockouts/${lockouts[0]!.id}`, { method: 'DELETE' }],
        [`/v1/inbox/${escalation.id}`],
        [`/v1/inbox/${escalation.id}/claim`, { method: 'POST' }],
        [`/v1/inbox/${escalation.id}/reply`, json({ text: 'Hello from globex' })],
        [`/v1/inbox/${escalation.id}/handback`, { method: 'POST' }],
        [`/v1/inbox/${escalation.id}/close`, { method: 'POST' }],
        [`/v1/conversations/${conversationId}/messages`],
        [`/v1/experiments/${experiment.id}`],
        [`/v1/experiments/${experiment.id}/results`],
        [`/v1/experiments/${experiment.id}/stop`, { method: 'POST' }],
        ['/v1/feedback', json({ traceId, rating: 'down', comment: 'probe' })],
        [`/v1/jobs/${tenantA.jobId}`],
        [`/v1/jobs/${tenantA.jobId}/events`],
        [`/v1/jobs/${tenantA.jobId}`, { method: 'DELETE' }],
        [`/v1/documents/${tenantA.documentId}`],
        [`/v1/documents/${tenantA.documentId}/original`],
        [`/v1/documents/${tenantA.documentId}`, { method: 'DELETE' }],
        [`/v1/admin/keys/${keyA}/revoke`, { method: 'POST' }],
        [`/v1/admin/keys/${keyA}/rotate`, { method: 'POST' }],
        [`/v1/admin/keys/${keyA}/quota`, json({ quota: { period: 'day', requests: 1 } })],
        ['/v1/chat', json({ question: QUESTION, conversationId })],
      ];
      // Every route that takes an id is probed; prompts are addressed by name within the caller's own
      // tenant (globex has its own rag.system), and so are customers of the privacy routes (checked
      // below: globex's export of acme's customer holds nothing of acme's), so they have no foreign id.
      const probed = new Set(
        probes.map(([path, init]) => `${(init?.method ?? 'GET').toLowerCase()} ${path.split('?')[0]}`),
      );
      // A customer is not a stored object with an owner: another tenant's admin exporting or erasing
      // tenant A's customer id acts on its own tenant, finds nothing and touches nothing (checked below).
      const customerA = (
        await app.db.query<{ owner: string }>('SELECT owner FROM conversations WHERE id = $1', [
          conversationId,
        ])
      ).rows[0]?.owner as string;
      expect(customerA).toBeTruthy();
      const privacyProbes: [string, RequestInit?][] = [
        [`/v1/admin/privacy/customers/${encodeURIComponent(customerA)}/export`],
        [`/v1/admin/privacy/customers/${encodeURIComponent(customerA)}`, { method: 'DELETE' }],
      ];
      for (const [path, init] of privacyProbes) {
        probed.add(`${(init?.method ?? 'GET').toLowerCase()} ${path}`);
        const response = await call(http, adminB, path, init);
        const body = (await response.json()) as {
          tenantId: string;
          counts?: Record<string, number>;
          total?: number;
        };
        expect(response.status).toBe(200);
        expect(body.tenantId).toBe('globex');
        expect(Object.values(body.counts ?? {}).reduce((sum, n) => sum + n, 0) + (body.total ?? 0)).toBe(0);
      }
      const withIds = mountedRoutes(http).filter((route) => /:id\b/.test(route.path));
      for (const route of withIds) {
        const pattern = new RegExp(`^${route.method} ${route.path.replace(/:id\b/g, '[^/]+')}$`);
        expect(
          [...probed].some((probe) => pattern.test(probe)),
          `${route.method} ${route.path}`,
        ).toBe(true);
      }
      for (const [path, init] of probes) {
        const response = await call(http, adminB, path, init);
        const body = await response.text();
        expect(`${init?.method ?? 'GET'} ${path}: ${response.status}`).toBe(
          `${init?.method ?? 'GET'} ${path}: 404`,
        );
        expect(body).not.toContain('Thermostat');
        expect(body).not.toContain('acme');
      }
      const lists = ['/v1/jobs', '/v1/documents', '/v1/admin/keys', '/v1/support/lockouts?all=true'];
      for (const path of lists) {
        const body = await (await call(http, adminB, path)).text();
        expect(body).not.toContain('cust-probe');
        expect(body).not.toContain(tenantA.jobId);
        expect(body).not.toContain('returns.md');
        expect(body).not.toContain(keyA);
        expect(body).not.toContain('"acme"');
      }
      const exported = (await (
        await call(http, adminB, '/v1/admin/privacy/customers/cust-probe/export')
      ).json()) as { tenantId: string; counts: Record<string, number> };
      expect(exported.tenantId).not.toBe('acme');
      expect(Object.values(exported.counts).every((count) => count === 0)).toBe(true);
      const search = (await (
        await call(http, adminB, '/v1/search', json({ query: 'return thermostat' }))
      ).json()) as {
        chunks: unknown[];
      };
      expect(search.chunks).toEqual([]);
      // Tenant A's objects are untouched.
      expect((await call(http, secrets.admin, `/v1/documents/${tenantA.documentId}`)).status).toBe(200);
      expect(await app.keys.authenticate(secrets.admin)).toMatchObject({ ok: true });
      expect(await app.keys.get(keyA)).toMatchObject({ revokedAt: null, quota: null });
      expect((await app.sessions.get('acme', sessionA))?.revokedAt).toBeNull();
      const stillThere = await app.db.query('SELECT 1 FROM conversations WHERE id = $1', [conversationId]);
      expect(stillThere.rows).toHaveLength(1);
      const kept = await app.db.query('SELECT 1 FROM support_verification_limits WHERE id = $1', [
        lockouts[0]!.id,
      ]);
      expect(kept.rows).toHaveLength(1);
      expect((await app.inbox.list('acme')).find((row) => row.id === escalation.id)?.status).toBe('waiting');
      expect((await app.experiments.get('acme', experiment.id)).status).toBe('running');
      await app.experiments.stop('acme', experiment.id);
    });

    it('manages keys over the admin API, returns secrets once, and audits each change', async () => {
      const created = await call(
        http,
        secrets.admin,
        '/v1/admin/keys',
        json({ name: 'widget', role: 'customer', principals: ['user:bob'], expiresInSeconds: 3600 }),
      );
      expect(created.status).toBe(201);
      const issued = (await created.json()) as {
        key: { id: string; tenantId: string; expiresAt: string };
        secret: string;
      };
      expect(issued.key.tenantId).toBe('acme');
      expect(issued.key.expiresAt).not.toBeNull();
      expect((await call(http, issued.secret, '/v1/models')).status).toBe(200);
      const listed = await (await call(http, secrets.admin, '/v1/admin/keys')).text();
      expect(listed).toContain(issued.key.id);
      expect(listed).not.toContain(issued.secret.split('_').slice(2).join('_'));
      const rotated = (await (
        await call(http, secrets.admin, `/v1/admin/keys/${issued.key.id}/rotate`, json({ graceSeconds: 0 }))
      ).json()) as { key: { id: string }; secret: string };
      const old = await call(http, issued.secret, '/v1/models');
      expect(old.status).toBe(401);
      expect(((await old.json()) as { error: { code: string } }).error.code).toBe('revoked_api_key');
      expect((await call(http, rotated.secret, '/v1/models')).status).toBe(200);
      const revoked = await call(http, secrets.admin, `/v1/admin/keys/${rotated.key.id}/revoke`, {
        method: 'POST',
      });
      expect(revoked.status).toBe(200);
      expect((await call(http, rotated.secret, '/v1/models')).status).toBe(401);
      const bad = await call(http, secrets.admin, '/v1/admin/keys', json({ name: 'x', role: 'root' }));
      expect(bad.status).toBe(400);
      const adminId = (await app.keys.authenticate(secrets.admin)) as { identity: { keyId: string } };
      const { rows } = await app.db.query<{ actor: string; action: string; target: string }>(
        `SELECT actor, action, target FROM audit_log WHERE tenant_id = 'acme' AND target IN ($1, $2) ORDER BY id`,
        [issued.key.id, rotated.key.id],
      );
      expect(rows).toEqual([
        { actor: adminId.identity.keyId, action: 'key.create', target: issued.key.id },
        { actor: adminId.identity.keyId, action: 'key.rotate', target: issued.key.id },
        { actor: adminId.identity.keyId, action: 'key.revoke', target: rotated.key.id },
      ]);
      const expired = await app.keys.create(
        { tenantId: 'acme', name: 'old', role: 'admin' },
        { actor: 'cli' },
      );
      await app.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
        expired.key.id,
      ]);
      const refused = await call(http, expired.secret, '/v1/models');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('expired_api_key');
    });
  });

  describe(`auth modes on ${backend.name}`, () => {
    it('auto is open until the first key exists, then requires one', async () => {
      const { app, http, close } = await openApp(backend);
      try {
        expect((await http.request('/v1/search', json({ query: 'returns' }))).status).toBe(200);
        // A dummy key (as OpenAI clients send) is ignored while auth is off.
        expect((await call(http, 'sk-unused', '/v1/models')).status).toBe(200);
        const closed = await http.request('/v1/admin/keys');
        expect(closed.status).toBe(401);
        const { secret } = await app.keys.create(
          { tenantId: 'default', name: 'first', role: 'admin' },
          { actor: 'cli' },
        );
        const refused = await http.request('/v1/search', json({ query: 'returns' }));
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
        expect((await call(http, secret, '/v1/search', json({ query: 'returns' }))).status).toBe(200);
        expect((await http.request('/healthz')).status).toBe(200);
      } finally {
        await close();
      }
    }, 120_000);

    it('required needs a key even with none; off ignores keys', async () => {
      const required = await openApp(backend, { auth: 'required' });
      try {
        expect((await required.http.request('/v1/models')).status).toBe(401);
      } finally {
        await required.close();
      }
      const off = await openApp(backend, { auth: 'off' });
      try {
        await off.app.keys.create({ tenantId: 'default', name: 'k', role: 'customer' }, { actor: 'cli' });
        expect((await off.http.request('/v1/documents')).status).toBe(200);
      } finally {
        await off.close();
      }
    }, 120_000);
  });

  describe(`per-key quotas on ${backend.name}`, () => {
    it('answers 429 quota_exceeded with retry-after once a key used its quota, shows the use, and lets an admin raise it', async () => {
      const { app, http, close } = await openApp(backend);
      try {
        const admin = (
          await app.keys.create({ tenantId: 'acme', name: 'admin', role: 'admin' }, { actor: 'cli' })
        ).secret;
        const created = await call(
          http,
          admin,
          '/v1/admin/keys',
          json({ name: 'metered', role: 'customer', quota: { period: 'day', requests: 3 } }),
        );
        expect(created.status).toBe(201);
        const metered = (await created.json()) as { key: { id: string; quota: unknown }; secret: string };
        expect(metered.key.quota).toEqual({ period: 'day', requests: 3 });
        const other = (
          await app.keys.create({ tenantId: 'acme', name: 'other', role: 'customer' }, { actor: 'cli' })
        ).secret;
        const statuses = [];
        for (let index = 0; index < 3; index++)
          statuses.push((await call(http, metered.secret, '/v1/models')).status);
        expect(statuses).toEqual([200, 200, 200]);
        const refused = await call(http, metered.secret, '/v1/search', json({ query: 'returns' }));
        expect(refused.status).toBe(429);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('quota_exceeded');
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(86_400);
        // The OpenAI door refuses in OpenAI's shape.
        const openai = await call(http, metered.secret, '/v1/models');
        expect(await openai.json()).toMatchObject({
          error: { code: 'quota_exceeded', type: 'rate_limit_error' },
        });
        // Another key of the tenant is not affected.
        expect((await call(http, other, '/v1/models')).status).toBe(200);
        const listed = (await (await call(http, admin, '/v1/admin/keys')).json()) as {
          keys: { id: string; usage: { requests: number; resetsAt: string } | null }[];
        };
        const usage = listed.keys.find((key) => key.id === metered.key.id)?.usage;
        expect(usage?.requests).toBe(3);
        expect(Date.parse(usage!.resetsAt) - Date.now()).toBeLessThanOrEqual(86_400_000);
        const raised = await call(
          http,
          admin,
          `/v1/admin/keys/${metered.key.id}/quota`,
          json({ quota: { period: 'day', requests: 4 } }),
        );
        expect(raised.status).toBe(200);
        expect((await call(http, metered.secret, '/v1/models')).status).toBe(200);
        expect((await call(http, metered.secret, '/v1/models')).status).toBe(429);
        const removed = await call(
          http,
          admin,
          `/v1/admin/keys/${metered.key.id}/quota`,
          json({ quota: null }),
        );
        expect(((await removed.json()) as { key: { quota: unknown } }).key.quota).toBeNull();
        expect((await call(http, metered.secret, '/v1/models')).status).toBe(200);
        // Bad quotas, and platform keys, cannot be made over HTTP.
        for (const body of [
          { name: 'q', role: 'customer', quota: { period: 'day' } },
          { name: 'q', role: 'customer', quota: { period: 'week', requests: 1 } },
          { name: 'q', role: 'admin', platform: true },
        ]) {
          expect((await call(http, admin, '/v1/admin/keys', json(body))).status).toBe(400);
        }
      } finally {
        await close();
      }
    }, 120_000);

    it('refuses answers once a key used its token quota, but not its other requests', async () => {
      const { app, http, close } = await openApp(backend);
      try {
        const issued = await app.keys.create(
          { tenantId: 'acme', name: 'tokens', role: 'customer', quota: { period: 'month', tokens: 50 } },
          { actor: 'cli' },
        );
        expect((await call(http, issued.secret, '/v1/ask', json({ question: QUESTION }))).status).toBe(200);
        await app.db.query(
          `INSERT INTO answers (id, tenant_id, user_id, question, answer, mode, input_tokens, output_tokens, latency_ms)
           VALUES ('spent', 'acme', $1, 'q', 'a', 'generative', 40, 10, 1)`,
          [issued.key.id],
        );
        const refused = await call(http, issued.secret, '/v1/ask', json({ question: QUESTION }));
        expect(refused.status).toBe(429);
        expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
          'tokens quota',
        );
        expect((await call(http, issued.secret, '/v1/search', json({ query: 'returns' }))).status).toBe(200);
      } finally {
        await close();
      }
    }, 120_000);
  });

  describe(`/metrics platform scope on ${backend.name}`, () => {
    it('needs the metrics token, a platform key, or the default tenant’s admin while it is the only tenant', async () => {
      const token = 'metrics-token-0123456789abcdef';
      const { app, http, close } = await openApp(backend, { metricsToken: token });
      try {
        const defaultAdmin = (
          await app.keys.create({ tenantId: 'default', name: 'owner', role: 'admin' }, { actor: 'cli' })
        ).secret;
        // One tenant: its admin sees only its own series, so it may scrape.
        expect((await call(http, defaultAdmin, '/metrics')).status).toBe(200);
        const acmeAdmin = (
          await app.keys.create({ tenantId: 'acme', name: 'acme admin', role: 'admin' }, { actor: 'cli' })
        ).secret;
        for (const secret of [acmeAdmin, defaultAdmin]) {
          const refused = await call(http, secret, '/metrics');
          expect(refused.status).toBe(403);
          const body = await refused.text();
          expect(body).toContain('platform_scope_required');
          expect(body).not.toContain('groundwork_');
        }
        const platform = (
          await app.keys.create(
            { tenantId: 'acme', name: 'prometheus', role: 'admin', platform: true },
            { actor: 'cli' },
          )
        ).secret;
        expect((await call(http, platform, '/metrics')).status).toBe(200);
        const scraped = await call(http, token, '/metrics');
        expect(scraped.status).toBe(200);
        expect(await scraped.text()).toContain('groundwork_http_requests_total');
        // A wrong token is just an unknown key; operators are refused by role first.
        expect((await call(http, `${token}x`, '/metrics')).status).toBe(401);
        const operator = (
          await app.keys.create({ tenantId: 'default', name: 'op', role: 'operator' }, { actor: 'cli' })
        ).secret;
        expect((await call(http, operator, '/metrics')).status).toBe(403);
        // The token opens /metrics only.
        expect((await call(http, token, '/v1/models')).status).toBe(401);
      } finally {
        await close();
      }
    }, 120_000);
  });

  describe(`rate limits on ${backend.name}`, () => {
    it('answers 429 with retry-after when a key floods, and other keys are unaffected', async () => {
      const { app, http, close } = await openApp(backend, {
        rateLimits: {
          perKey: { requestsPerMinute: 6, burst: 3 },
          perTenant: { requestsPerMinute: 60, burst: 8 },
        },
      });
      try {
        const create = async (name: string) =>
          (await app.keys.create({ tenantId: 'acme', name, role: 'customer' }, { actor: 'cli' })).secret;
        const [a, b, c] = [await create('a'), await create('b'), await create('c')];
        const statuses = [];
        for (let index = 0; index < 10; index++) statuses.push((await call(http, a, '/v1/models')).status);
        expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
        const limited = await call(http, a, '/v1/search', json({ query: 'returns' }));
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
        expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
        // Key A's flood took only its own burst from the tenant's bucket: B still gets through.
        for (let index = 0; index < 3; index++) expect((await call(http, b, '/v1/models')).status).toBe(200);
        // The tenant's bucket (8) is now spent by A (3) and B (3) plus two of C's.
        expect((await call(http, c, '/v1/models')).status).toBe(200);
        expect((await call(http, c, '/v1/models')).status).toBe(200);
        expect((await call(http, c, '/v1/models')).status).toBe(429);
        // Another tenant has its own bucket.
        const other = (
          await app.keys.create({ tenantId: 'globex', name: 'g', role: 'customer' }, { actor: 'cli' })
        ).secret;
        expect((await call(http, other, '/v1/models')).status).toBe(200);
      } finally {
        await close();
      }
    }, 120_000);
  });
}
