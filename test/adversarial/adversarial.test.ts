import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/databases.ts';
import { loadCases, runAll } from './run-cases.ts';
import { openWorld, type World } from './world.ts';

const cases = loadCases();

for (const backend of testBackends()) {
  describe(`adversarial suite on ${backend.name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await openWorld(backend);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
    });

    it('has at least 100 cases in every category it claims', () => {
      expect(cases.length).toBeGreaterThanOrEqual(100);
      expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
    });

    it('leaks nothing, blocks what must be blocked, and still answers the controls', async () => {
      const { report } = await runAll(world, cases);
      expect(report.leaks).toEqual([]);
      expect(report.unmetCases).toEqual([]);
    }, 300_000);

    it('sends placeholders, not the caller’s personal data, to the model when redactForModel is on', async () => {
      const redacting = await openWorld(backend, { guardrails: { redactForModel: true } });
      try {
        redacting.behaviour = {
          kind: 'say',
          text: 'You can return most products within 30 days of delivery; we will confirm to [EMAIL_1] [1].',
        };
        const response = await redacting.http.request('/v1/ask', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${redacting.keys['acme-support']}`,
          },
          body: JSON.stringify({
            question: 'I am sam@home.example. How long do I have to return a thermostat?',
          }),
        });
        const body = (await response.json()) as { answer: string };
        const prompt = JSON.stringify(redacting.calls.at(-1)?.prompt);
        expect(prompt).toContain('[EMAIL_1]');
        expect(prompt).not.toContain('sam@home.example');
        expect(body.answer).toContain('we will confirm to sam@home.example [1].');
      } finally {
        await redacting.close();
      }
    });
  });
}
