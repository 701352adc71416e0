/**
 * @module testing/answer-apps
 * Two products over one test database holding a frozen copy of the first demo knowledge base
 * (`__fixtures__/knowledge`: three policies and one manual), so tests that pin which passage ranks
 * first do not change when the support app's content grows: `app` answers with a shared
 * scripted model (push replies onto `replies`; with none queued it cites passage 1), `plain` has no
 * model and answers extractively.
 */
import path from 'node:path';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { TestBackend } from './databases.ts';
import {
  createScriptedLanguageModel,
  type ScriptedLanguageModel,
  type ScriptedReply,
} from './scripted-language-model.ts';

const KNOWLEDGE = path.resolve(import.meta.dirname, '__fixtures__/knowledge');

/** What `openAnswerApps` returns. */
export interface AnswerApps {
  readonly app: Groundwork;
  readonly plain: Groundwork;
  readonly model: ScriptedLanguageModel;
  readonly replies: ScriptedReply[];
  close(): Promise<void>;
}

/** Opens a fresh database on `backend`, ingests the demo knowledge base, builds both products. */
export async function openAnswerApps(backend: TestBackend): Promise<AnswerApps> {
  const replies: ScriptedReply[] = [];
  const model = createScriptedLanguageModel([() => replies.shift() ?? { text: 'Within 30 days [1].' }], {
    repeat: true,
  });
  const db = await backend.open();
  // Tests here script one model reply per question and often ask the same one twice, so the answer
  // cache is off; src/answer/answer-cache.test.ts tests it.
  const config = loadConfig({ dataDir: 'memory://', cache: { answers: { enabled: false } } });
  const app = await createGroundwork(config, { db, languageModel: { model, name: 'test:scripted' } });
  const plain = await createGroundwork(config, { db });
  await app.ingestion.submit('default', { sources: [{ kind: 'path', path: KNOWLEDGE }] }, { trusted: true });
  await app.ingestion.drain();
  return {
    app,
    plain,
    model,
    replies,
    close: async () => {
      await plain.close();
      await app.close();
      await db.close();
    },
  };
}
