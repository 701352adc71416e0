import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../prompts/experiment-results.ts';
import type { AskResult } from '../spec/answer.ts';
import { ensureTenant } from '../store/documents.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
type ChatResult = AskResult & { conversationId: string };

for (const backend of testBackends()) {
  describe(`experiments and feedback API on ${backend.name}`, () => {
    let apps: AnswerApps;
    let http: ReturnType<typeof createHttpApp>;
    let experimentId: string;
    const turns: [ChatResult, ChatResult][] = [];

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      // Auth is off (no keys): callers are anonymous admins, so assignment is sticky per conversation.
      http = createHttpApp(apps.app);
    }, 120_000);
    afterAll(async () => {
      await apps?.close();
    });

    const chat = async (question: string, conversationId?: string) =>
      (await (await http.request('/v1/chat', json({ question, conversationId }))).json()) as ChatResult;

    it('starts an experiment and keeps each conversation in one arm', async () => {
      await http.request(
        '/v1/prompts',
        json({ name: 'rag.system', template: 'Be brief; cite passages as [n].' }),
      );
      const started = await http.request(
        '/v1/experiments',
        json({
          name: 'brief vs default',
          arms: [
            { name: 'control', version: 1 },
            { name: 'brief', version: 2 },
          ],
        }),
      );
      expect(started.status).toBe(201);
      const { experiment } = (await started.json()) as { experiment: { id: string; status: string } };
      expect(experiment.status).toBe('running');
      experimentId = experiment.id;

      for (let index = 0; index < 16; index++) {
        const first = await chat('How long do I have to return a thermostat?');
        const second = await chat('And how long does the refund take?', first.conversationId);
        turns.push([first, second]);
        const arm = first.promptVersion?.experiment?.arm;
        expect(second.promptVersion).toEqual(first.promptVersion);
        expect(first.promptVersion).toEqual({
          name: 'rag.system',
          version: arm === 'control' ? 1 : 2,
          experiment: { id: experimentId, arm },
        });
      }
      const arms = new Set(turns.map(([first]) => first.promptVersion?.experiment?.arm));
      expect(arms).toEqual(new Set(['control', 'brief']));
      // A request with neither a user nor a conversation cannot be kept in one arm, so it is not enrolled.
      const unenrolled = (await (
        await http.request('/v1/ask', json({ question: 'Refunds?' }))
      ).json()) as AskResult;
      expect(unenrolled.promptVersion).toEqual({ name: 'rag.system', version: 1 });
    });

    it('takes feedback on answers and reports per-arm results with tests', async () => {
      for (const [index, [first, second]] of turns.entries()) {
        const liked = first.promptVersion?.experiment?.arm === 'brief' || index % 4 === 0;
        const rated = await http.request(
          '/v1/feedback',
          json({
            traceId: first.traceId,
            rating: liked ? 'up' : 'down',
            ...(liked ? {} : { comment: 'Too long', category: 'verbose' }),
          }),
        );
        expect(rated.status).toBe(201);
        if (index % 2 === 0)
          await http.request('/v1/feedback', json({ traceId: second.traceId, rating: 'up' }));
      }
      const response = await http.request(`/v1/experiments/${experimentId}/results`);
      expect(response.status).toBe(200);
      const results = (await response.json()) as ExperimentResults;
      const byArm = Object.fromEntries(results.arms.map((arm) => [arm.arm, arm]));
      const conversations = (arm: string) =>
        turns.filter(([first]) => first.promptVersion?.experiment?.arm === arm);
      for (const arm of ['control', 'brief']) {
        const own = conversations(arm);
        expect(byArm[arm]).toMatchObject({ answers: own.length * 2, groundedRate: 1, users: 1 });
        expect(byArm[arm]!.latencyP50Ms).toBeGreaterThan(0);
      }
      expect(byArm.brief!.positive).toBe(byArm.brief!.rated);
      expect(results.comparisons).toHaveLength(1);
      const comparison = results.comparisons[0]!;
      expect(comparison).toMatchObject({ arm: 'brief', control: 'control' });
      expect(comparison.positiveRate.difference).toBeGreaterThan(0);
      expect(comparison.positiveRate.z).toBeGreaterThan(0);
      expect(comparison.positiveRate.pValue).toBeGreaterThan(0);
      expect(comparison.latency.degreesOfFreedom).toBeGreaterThan(0);
    });

    it('lists and exports negative feedback with the question, answer, passages and prompt version', async () => {
      const down = (await (await http.request('/v1/feedback?rating=down&category=verbose')).json()) as {
        feedback: { rating: string; comment: string; answer: { question: string } }[];
      };
      expect(down.feedback.length).toBeGreaterThan(0);
      expect(down.feedback.every((row) => row.rating === 'down' && row.comment === 'Too long')).toBe(true);
      const exported = await http.request('/v1/feedback/export');
      expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
      const lines = (await exported.text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toHaveLength(down.feedback.length);
      expect(lines[0]).toMatchObject({
        rating: 'down',
        comment: 'Too long',
        category: 'verbose',
        question: 'How long do I have to return a thermostat?',
        answer: expect.any(String),
        prompt: { name: 'rag.system', version: 1 },
        experiment: { id: experimentId, arm: 'control' },
      });
      expect(lines[0].citations[0]).toMatchObject({
        n: 1,
        snippet: expect.any(String),
        source: expect.any(String),
      });
      const none = await http.request(
        '/v1/feedback/export?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
      );
      expect(await none.text()).toBe('');
    });

    it('stores feedback comments with personal data scrubbed', async () => {
      const answer = await chat('Can I return a thermostat?');
      const posted = await http.request(
        '/v1/feedback',
        json({
          traceId: answer.traceId,
          rating: 'down',
          comment: 'Wrong. Write to jane.doe@example.com or call +44 20 7946 0958',
          category: 'pii-check',
        }),
      );
      expect(posted.status).toBe(201);
      const listed = (await (await http.request('/v1/feedback?category=pii-check')).json()) as {
        feedback: { comment: string }[];
      };
      expect(listed.feedback).toHaveLength(1);
      const comment = listed.feedback[0]!.comment;
      expect(comment).toContain('[email]');
      expect(comment).not.toContain('jane.doe@example.com');
      expect(comment).not.toContain('7946');
      const metrics = await (await http.request('/metrics')).text();
      expect(metrics).toMatch(/^groundwork_feedback_total\{rating="down"\} [1-9]/m);
    });

    it('refuses bad feedback and experiment requests with a code', async () => {
      await ensureTenant(apps.app.db, 'other');
      const foreign = await apps.app.answerer.ask({ tenantId: 'other', question: 'Refunds?' });
      const cases: [string, RequestInit, number, string][] = [
        ['/v1/feedback', json({ traceId: 'f'.repeat(32), rating: 'up' }), 404, 'answer_not_found'],
        ['/v1/feedback', json({ traceId: foreign.traceId, rating: 'down' }), 404, 'answer_not_found'],
        ['/v1/feedback', json({ traceId: turns[0]![0].traceId, rating: 'meh' }), 400, 'invalid_request'],
        ['/v1/feedback?rating=meh', {}, 400, 'invalid_query'],
        ['/v1/feedback/export?from=yesterday', {}, 400, 'invalid_query'],
        [
          '/v1/experiments',
          json({
            name: 'again',
            arms: [
              { name: 'a', version: 1 },
              { name: 'b', version: 2 },
            ],
          }),
          400,
          'experiment_already_running',
        ],
        [
          '/v1/experiments',
          json({
            name: 'x',
            promptName: 'rag.user',
            arms: [
              { name: 'a', version: 1 },
              { name: 'b', version: 7 },
            ],
          }),
          404,
          'prompt_version_not_found',
        ],
        [
          '/v1/experiments',
          json({
            name: 'x',
            promptName: 'rag.user',
            arms: [
              { name: 'a', version: 1 },
              { name: 'a', version: 1 },
            ],
          }),
          400,
          'invalid_experiment',
        ],
        ['/v1/experiments', json({ name: 'x', arms: [{ name: 'a', version: 1 }] }), 400, 'invalid_request'],
        ['/v1/experiments/not-an-id/results', {}, 404, 'experiment_not_found'],
        [
          '/v1/experiments/00000000-0000-0000-0000-000000000000/stop',
          { method: 'POST' },
          404,
          'experiment_not_found',
        ],
      ];
      for (const [path, init, status, code] of cases) {
        const response = await http.request(path, init);
        const body = (await response.json()) as { error: { code: string } };
        expect({ path, status: response.status, code: body.error?.code }).toEqual({ path, status, code });
      }
    });

    it('stops an experiment: new answers use the production label again', async () => {
      const stopped = await http.request(`/v1/experiments/${experimentId}/stop`, { method: 'POST' });
      expect(((await stopped.json()) as { experiment: { status: string } }).experiment.status).toBe(
        'stopped',
      );
      const after = await chat('How long do I have to return a thermostat?', turns[1]![0].conversationId);
      expect(after.promptVersion).toEqual({ name: 'rag.system', version: 1 });
      const listed = (await (await http.request('/v1/experiments')).json()) as { experiments: unknown[] };
      expect(listed.experiments).toHaveLength(1);
    });
  });
}
