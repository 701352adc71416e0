/**
 * Generation controls per prompt version: temperature, top-p, most output tokens and stop sequences
 * are stored with a version (migration 024), set over HTTP and the CLI, and reach the model that
 * writes the answer; unset, grounded answers run with the conservative defaults. Bad settings are
 * 400s with a code, and nothing is stored.
 */
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUNDED_SYSTEM_PROMPT } from '../answer/prompt.ts';
import { generationOf } from '../cli/commands/prompts.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const json = (body: unknown, method = 'POST') => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const sampling = (call: LanguageModelV3CallOptions | undefined) => ({
  temperature: call?.temperature,
  topP: call?.topP,
  maxOutputTokens: call?.maxOutputTokens,
  stopSequences: call?.stopSequences,
});

for (const backend of testBackends()) {
  describe(`generation controls on ${backend.name}`, () => {
    let apps: AnswerApps;
    let http: ReturnType<typeof createHttpApp>;
    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      http = createHttpApp(apps.app);
    }, 120_000);
    afterAll(async () => {
      await apps?.close();
    });

    const ask = async (question: string) => {
      const before = apps.model.calls.length;
      const response = await http.request('/v1/ask', json({ question }));
      expect(response.status).toBe(200);
      return apps.model.calls[before];
    };

    it('answers with the conservative defaults when the version sets nothing', async () => {
      const call = await ask('How long do I have to return a thermostat?');
      expect(sampling(call)).toEqual({
        temperature: 0.2,
        topP: undefined,
        maxOutputTokens: apps.app.config.answer.maxOutputTokens,
        stopSequences: undefined,
      });
      const seeded = await (await http.request('/v1/prompts/rag.system/versions/1')).json();
      expect(seeded).toMatchObject({ version: { version: 1, generation: {} } });
    });

    it('stores a version’s settings, and answers with them once it is promoted', async () => {
      const generation = {
        temperature: 0,
        topP: 0.9,
        maxOutputTokens: 200,
        stopSequences: ['\n\nQuestion:'],
      };
      const created = await http.request(
        '/v1/prompts',
        json({ name: 'rag.system', template: GROUNDED_SYSTEM_PROMPT, note: 'greedy', generation }),
      );
      expect(created.status).toBe(201);
      const { version } = (await created.json()) as { version: { version: number; generation: unknown } };
      expect(version.generation).toEqual(generation);
      // Not promoted yet: production still answers with the defaults.
      expect((await ask('Can I return an opened router?'))?.temperature).toBe(0.2);

      await http.request('/v1/prompts/rag.system/promote', json({ version: version.version }));
      expect(sampling(await ask('Can I return an opened router?'))).toEqual(generation);

      // A rollback restores the text and the settings together.
      await http.request('/v1/prompts/rag.system/rollback', json({}));
      expect((await ask('Can I return an opened router?'))?.temperature).toBe(0.2);
    });

    it('refuses settings out of range, of the wrong type or unknown, with a code, storing nothing', async () => {
      const before = (await (await http.request('/v1/prompts/rag.system')).json()) as {
        prompt: { latestVersion: number };
      };
      for (const generation of [
        { temperature: 3 },
        { topP: 0 },
        { maxOutputTokens: 1.5 },
        { stopSequences: ['a', 'b', 'c', 'd', 'e'] },
        { stopSequences: [''] },
        { temperature: '0.2' },
        { seed: 4 },
      ]) {
        const response = await http.request(
          '/v1/prompts',
          json({ name: 'rag.system', template: GROUNDED_SYSTEM_PROMPT, generation }),
        );
        expect({ generation, status: response.status }).toEqual({ generation, status: 400 });
        expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^invalid_/);
      }
      const after = (await (await http.request('/v1/prompts/rag.system')).json()) as typeof before;
      expect(after.prompt.latestVersion).toBe(before.prompt.latestVersion);
    });

    it('takes the settings from the CLI options, through the same checks', async () => {
      expect(generationOf({ temperature: '0.1', maxTokens: '300', stop: ['END', '###'] })).toEqual({
        temperature: 0.1,
        maxOutputTokens: 300,
        stopSequences: ['END', '###'],
      });
      expect(() => generationOf({ temperature: 'warm' })).toThrow('--temperature warm: write a number');
      const stored = await apps.app.prompts.create(
        'default',
        { name: 'rag.system', template: GROUNDED_SYSTEM_PROMPT, generation: generationOf({ topP: '0.5' }) },
        'cli',
      );
      expect(stored.generation).toEqual({ topP: 0.5 });
      await expect(
        apps.app.prompts.create(
          'default',
          {
            name: 'rag.system',
            template: GROUNDED_SYSTEM_PROMPT,
            generation: generationOf({ temperature: '9' }),
          },
          'cli',
        ),
      ).rejects.toMatchObject({
        code: 'invalid_generation_settings',
        details: { field: 'generation.temperature' },
      });
    });
  });
}
