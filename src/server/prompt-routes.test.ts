import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUNDED_SYSTEM_PROMPT, PASSAGES_ARE_DATA } from '../answer/prompt.ts';
import type { AskResult } from '../spec/answer.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const QUESTION = 'How long do I have to return a thermostat?';
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

for (const backend of testBackends()) {
  describe(`prompt registry API on ${backend.name}`, () => {
    let apps: AnswerApps;
    let http: ReturnType<typeof createHttpApp>;
    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      // Auth is off (no keys): callers are admins of the default tenant.
      http = createHttpApp(apps.app);
    }, 120_000);
    afterAll(async () => {
      await apps?.close();
    });

    const systemOfLastCall = () => {
      const call = apps.model.calls.at(-1)!;
      return (call.prompt[0] as { content: string }).content;
    };
    const ask = async () =>
      (await (await http.request('/v1/ask', json({ question: QUESTION }))).json()) as AskResult;

    it('answers from the production label and records the version; promote and rollback change it', async () => {
      const first = await ask();
      expect(first.promptVersion).toEqual({ name: 'rag.system', version: 1 });
      expect(systemOfLastCall()).toBe(GROUNDED_SYSTEM_PROMPT);

      const created = await http.request(
        '/v1/prompts',
        json({
          name: 'rag.system',
          template: 'Answer in one sentence, citing passages as [n].',
          note: 'short',
        }),
      );
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        version: { name: 'rag.system', version: 2, note: 'short' },
      });
      expect((await ask()).promptVersion?.version).toBe(1);

      const promoted = await http.request('/v1/prompts/rag.system/promote', json({ version: 2 }));
      expect(await promoted.json()).toEqual({ label: 'production', version: 2, previousVersion: 1 });
      expect((await ask()).promptVersion).toEqual({ name: 'rag.system', version: 2 });
      expect(systemOfLastCall()).toBe('Answer in one sentence, citing passages as [n].');

      const rolledBack = await http.request('/v1/prompts/rag.system/rollback', { method: 'POST' });
      expect(await rolledBack.json()).toEqual({ label: 'production', version: 1, previousVersion: 2 });
      expect((await ask()).promptVersion?.version).toBe(1);
      expect(systemOfLastCall()).toBe(GROUNDED_SYSTEM_PROMPT);

      const listed = (await (await http.request('/v1/prompts')).json()) as { prompts: { name: string }[] };
      expect(listed.prompts.map((prompt) => prompt.name)).toEqual(
        expect.arrayContaining(['eval.judge', 'rag.system', 'rag.user']),
      );
      const shown = (await (await http.request('/v1/prompts/rag.system')).json()) as {
        prompt: { versions: { version: number }[]; labels: Record<string, number> };
      };
      expect(shown.prompt.versions.map((version) => version.version)).toEqual([2, 1]);
      expect(shown.prompt.labels).toEqual({ production: 1 });
      const version = await http.request('/v1/prompts/rag.system/versions/2');
      expect(((await version.json()) as { version: { template: string } }).version.template).toContain(
        'one sentence',
      );
    });

    it('renders a version with values and refuses bad ones with a code', async () => {
      const rendered = await http.request(
        '/v1/prompts/rag.user/render',
        json({ values: { question: 'Refunds?', passages: '<passage n="1">…</passage>' } }),
      );
      expect(await rendered.json()).toEqual({
        name: 'rag.user',
        version: 1,
        text: `${PASSAGES_ARE_DATA}\n\nPassages:\n\n<passage n="1">…</passage>\n\nQuestion: Refunds?`,
      });
      const cases: [string, RequestInit, number, string][] = [
        ['/v1/prompts/rag.user/render', json({ values: { question: 'q' } }), 400, 'prompt_variable_missing'],
        [
          '/v1/prompts/rag.user/render',
          json({ values: { question: 'q', passages: 'p', x: 1 } }),
          400,
          'prompt_variable_unknown',
        ],
        [
          '/v1/prompts/rag.user/render',
          json({ values: { question: 1, passages: 'p' } }),
          400,
          'prompt_variable_type',
        ],
        ['/v1/prompts/rag.user/render', json({ label: 'staging' }), 404, 'prompt_label_not_found'],
        [
          '/v1/prompts',
          json({ name: 'agent.triage', template: 'Hi {{name}}' }),
          400,
          'prompt_variable_undeclared',
        ],
        [
          '/v1/prompts',
          json({ name: 'agent.triage', template: 'Hi', variables: [{ name: 'name', type: 'string' }] }),
          400,
          'prompt_variable_unused',
        ],
        ['/v1/prompts', json({ name: 'x', template: 'Hi', extra: 1 }), 400, 'invalid_request'],
        ['/v1/prompts/agent.none', {}, 404, 'prompt_not_found'],
        ['/v1/prompts/rag.system/versions/99', {}, 404, 'prompt_version_not_found'],
        ['/v1/prompts/rag.system/versions/abc', {}, 400, 'invalid_request'],
        ['/v1/prompts/rag.system/promote', json({ version: 99 }), 404, 'prompt_version_not_found'],
        ['/v1/prompts/agent.none/promote', json({ version: 1 }), 404, 'prompt_not_found'],
        ['/v1/prompts/rag.user/rollback', json({}), 400, 'prompt_rollback_unavailable'],
      ];
      for (const [path, init, status, code] of cases) {
        const response = await http.request(path, init);
        const body = (await response.json()) as { error: { code: string } };
        expect({ path, status: response.status, code: body.error?.code }).toEqual({ path, status, code });
      }
    });
  });
}
