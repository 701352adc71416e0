import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passagesOf } from '../answer/__fixtures__/chunks.ts';
import { buildGroundedPrompt } from '../answer/prompt.ts';
import { GroundworkError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { testBackends } from '../testing/databases.ts';
import { RAG_SYSTEM, RAG_USER } from './builtin.ts';
import { PromptRegistry } from './registry.ts';
import { createRegistryPromptSource } from './registry-prompt-source.ts';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return GroundworkError.isInstance(error) ? error.code : String(error);
  }
}

for (const backend of testBackends()) {
  describe(`prompt registry on ${backend.name}`, () => {
    let db: Database;
    let clock = 0;
    let registry: PromptRegistry;
    beforeAll(async () => {
      db = await backend.open();
      registry = new PromptRegistry(db, { cacheMs: 1000, now: () => clock });
    });
    afterAll(async () => {
      await db?.close();
    });

    it('seeds version 1 from the built-in text, so the registry renders exactly what the code did', async () => {
      expect(await registry.list('t1')).toEqual([
        // The answer evaluation's judge prompt (ADR 0045) is a built-in too.
        { name: 'eval.judge', description: expect.any(String), latestVersion: 1, labels: { production: 1 } },
        { name: RAG_SYSTEM, description: expect.any(String), latestVersion: 1, labels: { production: 1 } },
        { name: RAG_USER, description: expect.any(String), latestVersion: 1, labels: { production: 1 } },
      ]);
      const passages = passagesOf(['Returns are accepted within 30 days.', 'A {{question}} in the text.']);
      const selection = await createRegistryPromptSource(registry).select({ tenantId: 't1' });
      expect(selection.ref).toEqual({ name: RAG_SYSTEM, version: 1 });
      expect(buildGroundedPrompt('Can I return it?', passages, selection)).toEqual(
        buildGroundedPrompt('Can I return it?', passages),
      );
      // Another tenant's registry is its own.
      await registry.create('t2', { name: RAG_SYSTEM, template: 'Other tenant.' }, 'test');
      expect((await registry.show('t1', RAG_SYSTEM)).versions).toHaveLength(1);
    });

    it('numbers immutable versions, moves labels, rolls back, and refreshes its cache on a move', async () => {
      const v2 = await registry.create(
        't1',
        { name: RAG_SYSTEM, template: 'Be brief. Cite [n].', note: 'brief' },
        'alice',
      );
      expect(v2).toMatchObject({ version: 2, createdBy: 'alice', note: 'brief', variables: [] });
      expect((await registry.resolve('t1', RAG_SYSTEM)).version).toBe(1);
      expect(await registry.promote('t1', RAG_SYSTEM, 2, 'production', 'alice')).toEqual({
        label: 'production',
        version: 2,
        previousVersion: 1,
      });
      expect((await registry.resolve('t1', RAG_SYSTEM)).template).toBe('Be brief. Cite [n].');
      await registry.promote('t1', RAG_SYSTEM, 1, 'staging', 'alice');
      expect((await registry.show('t1', RAG_SYSTEM)).labels).toEqual({ production: 2, staging: 1 });
      expect(await registry.rollback('t1', RAG_SYSTEM, 'production', 'bob')).toMatchObject({ version: 1 });
      expect((await registry.resolve('t1', RAG_SYSTEM)).version).toBe(1);

      // Another process's move is seen once the cache entry expires.
      const other = new PromptRegistry(db);
      await other.promote('t1', RAG_SYSTEM, 2, 'production', 'carol');
      expect((await registry.resolve('t1', RAG_SYSTEM)).version).toBe(1);
      clock += 1001;
      expect((await registry.resolve('t1', RAG_SYSTEM)).version).toBe(2);
    });

    it('fails with stable codes on unknown names, versions, labels and bad templates', async () => {
      expect(await codeOf(registry.show('t1', 'agent.none'))).toBe('prompt_not_found');
      expect(await codeOf(registry.version('t1', 'agent.none', 1))).toBe('prompt_not_found');
      expect(await codeOf(registry.version('t1', RAG_SYSTEM, 99))).toBe('prompt_version_not_found');
      expect(await codeOf(registry.resolve('t1', RAG_USER, 'canary'))).toBe('prompt_label_not_found');
      expect(await codeOf(registry.promote('t1', RAG_SYSTEM, 99, 'production', 'x'))).toBe(
        'prompt_version_not_found',
      );
      expect(await codeOf(registry.rollback('t1', RAG_USER, 'production', 'x'))).toBe(
        'prompt_rollback_unavailable',
      );
      expect(await codeOf(registry.create('t1', { name: 'Bad Name', template: 'x' }, 'x'))).toBe(
        'invalid_prompt_name',
      );
      expect(
        await codeOf(registry.create('t1', { name: 'agent.triage', template: 'Hi {{name}}' }, 'x')),
      ).toBe('prompt_variable_undeclared');
      const variables = [{ name: 'customer', type: 'string' as const }];
      expect(
        await codeOf(registry.create('t1', { name: RAG_USER, template: '{{customer}}', variables }, 'x')),
      ).toBe('prompt_variable_unavailable');
      const agent = await registry.create(
        't1',
        { name: 'agent.triage', template: 'Hi {{customer}}', variables },
        'x',
      );
      expect(agent.version).toBe(1);
      expect(await codeOf(registry.promote('t1', 'agent.triage', 1, 'Not A Label', 'x'))).toBe(
        'invalid_label',
      );
    });
  });
}
