import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Citation } from '../spec/answer.ts';
import type { AnswerRecord } from '../store/answers.ts';
import type { Database } from '../store/database.ts';
import { ensureTenant } from '../store/documents.ts';
import { testBackends } from '../testing/databases.ts';
import { AnswerLog, type AnswerLossReason } from './answer-log.ts';

function answer(id: string, overrides: Partial<AnswerRecord> = {}): AnswerRecord {
  return {
    id,
    tenantId: 'default',
    userId: 'anonymous',
    conversationId: null,
    question: 'Returns?',
    answer: 'Within 30 days.',
    citations: [],
    mode: 'extractive',
    model: null,
    promptName: null,
    promptVersion: null,
    experimentId: null,
    experimentArm: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    priced: false,
    latencyMs: 12,
    ...overrides,
  };
}

for (const backend of testBackends()) {
  describe(`the answer log on ${backend.name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await backend.open();
      await ensureTenant(db, 'default');
    });
    afterAll(async () => db?.close());

    it('a read through the reader port sees an answer added just before, still queued', async () => {
      const log = new AnswerLog(db);
      await log.add(answer('queued-then-read'));
      const count = () =>
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM answers WHERE id = 'queued-then-read'`);
      const { rows } = await log.read(count);
      expect(rows[0]?.n).toBe(1);
    });

    it('records an answer whose text holds a NUL or an unpaired surrogate (U+FFFD in their place)', async () => {
      const lost: AnswerLossReason[] = [];
      const log = new AnswerLog(db, { onLost: (reason) => lost.push(reason) });
      const citation = { index: 1, documentId: 1, chunkId: 1, uri: 'x\u0000.md', quote: 'q\uD800' };
      await log.add(
        answer('bad-text', {
          question: 'a\u0000b',
          answer: 'c\uDC00d',
          citations: [citation as unknown as Citation],
        }),
      );
      await log.flush();
      const { rows } = await db.query<{
        question: string;
        answer: string;
        citations: { uri: string; quote: string }[];
      }>(`SELECT question, answer, citations FROM answers WHERE id = 'bad-text'`);
      expect(rows[0]).toMatchObject({ question: 'a\uFFFDb', answer: 'c\uFFFDd' });
      expect(rows[0]?.citations[0]).toMatchObject({ uri: 'x\uFFFD.md', quote: 'q\uFFFD' });
      expect(lost).toEqual([]);
    });

    it('counts an answer the database refuses, and still writes the others of its batch', async () => {
      const lost: AnswerLossReason[] = [];
      const log = new AnswerLog(db, { onLost: (reason) => lost.push(reason) });
      await log.add(answer('fine-1'));
      // A tenant that does not exist: the foreign key refuses the row.
      await log.add(answer('refused', { tenantId: 'no-such-tenant' }));
      await log.add(answer('fine-2'));
      await log.flush();
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM answers WHERE id IN ('fine-1', 'fine-2', 'refused') ORDER BY id`,
      );
      expect(rows.map((row) => row.id)).toEqual(['fine-1', 'fine-2']);
      expect(lost).toEqual(['write_failed']);
    });
  });
}
