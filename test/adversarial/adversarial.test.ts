import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/databases.ts';
import { loadCases, runAll } from './run-cases.ts';
import { openWorld, type World } from './world.ts';

const cases = loadCases();

/** The attack categories the suite covers; a category missing from cases/ fails the count below. */
const CATEGORIES = [
  'citation-exfiltration',
  'cross-principal',
  'cross-tenant',
  'direct-injection',
  'indirect-injection',
  'jailbreak',
  'malformed',
  'moderation',
  'pii-leak',
  'system-prompt-leak',
] as const;
const MIN_TOTAL = 100;
const MIN_PER_CATEGORY = 5;

for (const backend of testBackends()) {
  describe(`adversarial suite on ${backend.name}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await openWorld(backend);
    }, 120_000);
    afterAll(async () => {
      await world?.close();
    });

    it(`has at least ${MIN_TOTAL} cases, and at least ${MIN_PER_CATEGORY} in each of its ${CATEGORIES.length} categories`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(MIN_TOTAL);
      expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
      // Counted per category, so a thin category cannot hide behind a large one.
      const perCategory = new Map<string, number>();
      for (const testCase of cases) {
        perCategory.set(testCase.category, (perCategory.get(testCase.category) ?? 0) + 1);
      }
      expect([...perCategory.keys()].sort()).toEqual([...CATEGORIES].sort());
      for (const category of CATEGORIES) {
        expect(perCategory.get(category) ?? 0, category).toBeGreaterThanOrEqual(MIN_PER_CATEGORY);
      }
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
