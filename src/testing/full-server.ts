/**
 * @module testing/full-server
 * The whole HTTP surface a `groundwork support` server mounts (the product's routes and the support
 * app's), over a fresh test database, for tests that walk the routes: the role matrix, the fuzzer,
 * the input tricks, the OpenAPI document. No web UI, no network; the language model is the caller's
 * (a scripted one by default) and the rate limiter lets a test's thousands of requests through.
 */
import { createSupportApp } from '../../apps/support/create-support-app.ts';
import { createKnowledgeIndex } from '../../apps/support/knowledge-index.ts';
import { type CreateOptions, createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import type { Database } from '../spec/database.ts';
import type { TestBackend } from './databases.ts';
import { createScriptedLanguageModel } from './scripted-language-model.ts';

/** A running full server and how to call it. */
export interface FullServer {
  readonly app: Groundwork;
  readonly db: Database;
  readonly http: ReturnType<typeof createHttpApp>;
  /** Creates a key of the default tenant and returns its secret. */
  keyFor(role: 'customer' | 'operator' | 'admin', tenantId?: string): Promise<string>;
  close(): Promise<void>;
}

/** Options of {@link openFullServer}. */
export interface FullServerOptions {
  /** Configuration on top of the test defaults (in-memory, no embedder, no limits that tests hit). */
  readonly config?: ConfigInput;
  /** The answering model; default a scripted one citing passage 1, forever. `null`: extractive. */
  readonly languageModel?: CreateOptions['languageModel'] | null;
}

const UNLIMITED = { requestsPerMinute: 1_000_000, burst: 1_000_000 };

/** Opens a database on `backend` and builds the product, the support app and the HTTP app on it. */
export async function openFullServer(
  backend: TestBackend,
  options: FullServerOptions = {},
): Promise<FullServer> {
  const db = await backend.open();
  const languageModel =
    options.languageModel === null
      ? undefined
      : (options.languageModel ?? {
          model: createScriptedLanguageModel([{ text: 'Within 30 days [1].' }], { repeat: true }),
          name: 'test:instant',
        });
  let app: Groundwork | undefined;
  try {
    app = await createGroundwork(
      loadConfig({
        dataDir: 'memory://',
        embedder: 'none',
        rateLimits: { perKey: UNLIMITED, perTenant: UNLIMITED },
        ...(languageModel ? {} : { llm: { model: 'none' } }),
        ...options.config,
      }),
      {
        db,
        languageModel,
        // URL ingestion must never reach the network from a test.
        fetch: async () => {
          throw new Error('no network in tests');
        },
      },
    );
    const supportApp = await createSupportApp(app, { retriever: await createKnowledgeIndex() });
    const http = createHttpApp(app, { ...supportApp.http, webRoot: null });
    const opened = app;
    let keys = 0;
    return {
      app: opened,
      db,
      http,
      keyFor: async (role, tenantId = 'default') =>
        (await opened.keys.create({ tenantId, name: `${role}-${++keys}`, role }, { actor: 'cli' })).secret,
      close: async () => {
        await opened.close();
        await db.close();
      },
    };
  } catch (error) {
    await app?.close();
    await db.close();
    throw error;
  }
}
