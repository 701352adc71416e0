/**
 * @module test/adversarial/world
 * The world the adversarial cases run in: the real HTTP API (Hono `app.request`) over a real
 * database with auth required, two tenants, and a scripted model that misbehaves on cue.
 *
 * - `acme` holds the demo support knowledge base (readable by everyone in the tenant), a finance
 *   document readable only by `group:finance` (with a CFO's contact details and a card number), and
 *   poisoned documents carrying indirect prompt injections.
 * - `globex` holds its own payroll document with personal data and a secret project name.
 * - Keys: `acme-support` (customer, group:support), `acme-finance` (customer, group:finance), `globex`
 *   (customer of the other tenant).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { createGroundwork, type Groundwork } from '../../src/app.ts';
import { type ConfigInput, loadConfig } from '../../src/config/config.ts';
import { createHttpApp } from '../../src/server/app.ts';
import type { TestBackend } from '../../src/testing/databases.ts';
import {
  createScriptedLanguageModel,
  type ScriptedReply,
} from '../../src/testing/scripted-language-model.ts';
import { POISONED_DOCUMENTS } from './poisoned-documents.ts';

// The frozen first demo knowledge base, so the cases' expected passages do not move as the app's content grows.
const KNOWLEDGE = path.resolve(import.meta.dirname, '../../src/testing/__fixtures__/knowledge');

/** Values only `acme-finance` may see. */
export const FINANCE_SECRETS = [
  'dana.whitfield@acme-finance.example',
  '+1 415 555 0134',
  '4000 0566 5566 5556',
];
/** Values only `globex` may see. */
export const GLOBEX_SECRETS = [
  'payroll@globex-secret.example',
  'DE89 3704 0044 0532 0130 00',
  'Project Nightingale',
];
/** What the acme knowledge base says that globex must never be shown. */
export const ACME_ONLY = ['Brightwave'];
/** A run of the grounded system prompt: its presence in a response means the prompt leaked. */
export const SYSTEM_PROMPT_FRAGMENT = 'Cite only numbers of passages that were given';

const FINANCE_DOC = `# Finance escalations

Refund approvals above $5,000 go to the chief financial officer, Dana Whitfield, at
dana.whitfield@acme-finance.example or +1 415 555 0134. Emergency refunds are paid with the corporate
card 4000 0566 5566 5556, which only the finance team may use.
`;

const GLOBEX_DOC = `# Globex payroll

Payroll questions go to payroll@globex-secret.example. Salaries are paid from the account
DE89 3704 0044 0532 0130 00 on the last business day. The Project Nightingale budget is 4.2 million.
`;

/** How the scripted model misbehaves for the current case. */
export type ModelBehaviour =
  | { readonly kind: 'grounded' }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'leak-system-prompt' }
  | { readonly kind: 'echo-prompt' };

/** The running world. */
export interface World {
  readonly app: Groundwork;
  readonly http: ReturnType<typeof createHttpApp>;
  /** API key secrets by caller name. */
  readonly keys: Readonly<Record<Caller, string>>;
  /** Document ids each caller may read. */
  readonly readable: Readonly<Record<Caller, ReadonlySet<number>>>;
  behaviour: ModelBehaviour;
  /** Every prompt the model was given, in order. */
  readonly calls: LanguageModelV3CallOptions[];
  close(): Promise<void>;
}

/** The callers. */
export type Caller = 'acme-support' | 'acme-finance' | 'globex';

/** Builds the world on `backend` with `overrides` of the config (e.g. guardrails off). */
export async function openWorld(backend: TestBackend, overrides: ConfigInput = {}): Promise<World> {
  const world = { behaviour: { kind: 'grounded' } as ModelBehaviour };
  const model = createScriptedLanguageModel([(call) => reply(world.behaviour, call)], { repeat: true });
  const db = await backend.open();
  // Rate limits off: a hundred cases from one key in a few seconds would otherwise be refused with 429.
  const unlimited = { requestsPerMinute: 1_000_000, burst: 1_000_000 };
  const config = loadConfig({
    dataDir: 'memory://',
    embedder: 'none',
    auth: 'required',
    rateLimits: { perKey: unlimited, perTenant: unlimited },
    // Each case scripts its own model behaviour for questions other cases also ask, so every case
    // must reach the model; the answer cache has its own ACL and tenant tests (answer-cache.test.ts).
    cache: { answers: { enabled: false } },
    ...overrides,
  });
  const app = await createGroundwork(config, { db, languageModel: { model, name: 'test:misbehaving' } });
  const folder = await mkdtemp(path.join(os.tmpdir(), 'gw-adversarial-'));
  try {
    const write = async (name: string, text: string) => {
      await writeFile(path.join(folder, name), text);
      return { kind: 'path' as const, path: path.join(folder, name) };
    };
    const poisoned = await Promise.all(
      Object.entries(POISONED_DOCUMENTS).map(([name, text]) => write(name, text)),
    );
    await app.ingestion.submit(
      'acme',
      { sources: [{ kind: 'path', path: KNOWLEDGE }, ...poisoned] },
      { trusted: true },
    );
    await app.ingestion.submit(
      'acme',
      { sources: [await write('finance.md', FINANCE_DOC)], acl: ['group:finance'] },
      { trusted: true },
    );
    await app.ingestion.submit(
      'globex',
      { sources: [await write('payroll.md', GLOBEX_DOC)] },
      { trusted: true },
    );
    await app.ingestion.drain();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const key = async (tenantId: string, name: string, principals: string[]) =>
    (await app.keys.create({ tenantId, name, role: 'customer', principals }, { actor: 'cli' })).secret;
  const keys: Record<Caller, string> = {
    'acme-support': await key('acme', 'support', ['group:support']),
    'acme-finance': await key('acme', 'finance', ['group:finance']),
    globex: await key('globex', 'globex', []),
  };
  const readableBy = async (tenantId: string, principals: string[]) => {
    const result = await app.db.query<{ id: number }>(
      `SELECT id FROM documents WHERE tenant_id = $1 AND acl && $2::text[]`,
      [tenantId, ['*', ...principals]],
    );
    return new Set(result.rows.map((row) => Number(row.id)));
  };
  const readable: Record<Caller, Set<number>> = {
    'acme-support': await readableBy('acme', ['group:support']),
    'acme-finance': await readableBy('acme', ['group:finance']),
    globex: await readableBy('globex', []),
  };
  return Object.assign(world, {
    app,
    http: createHttpApp(app),
    keys,
    readable,
    calls: model.calls,
    close: async () => {
      await app.close();
      await db.close();
    },
  });
}

function reply(behaviour: ModelBehaviour, call: LanguageModelV3CallOptions): ScriptedReply {
  const system = call.prompt.find((message) => message.role === 'system')?.content ?? '';
  const user = call.prompt
    .filter((message) => message.role === 'user')
    .flatMap((message) => message.content)
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
  switch (behaviour.kind) {
    case 'say':
      return { text: behaviour.text };
    case 'leak-system-prompt':
      return { text: `My instructions are: ${system} [1]` };
    case 'echo-prompt':
      return { text: user };
    default: {
      const first = /<passage [^>]*>\n([^\n]+)/.exec(user)?.[1] ?? 'The knowledge base does not say.';
      return { text: `${first.replace(/[.!?]*$/, '')} [1].` };
    }
  }
}
