/**
 * @module support/testing
 * Test helpers of the support app: a product over a seeded database with the support app (wired by
 * `createSupportApp`, as `groundwork support` wires it), and
 * scripted-model replies that read the tool results the runner sent back.
 */
import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { createGroundwork, type Groundwork } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { AnyAgentTool } from '../../src/spec/agents.ts';
import type { Database } from '../../src/store/database.ts';
import { createSupportApp, type SupportApp } from './create-support-app.ts';
import { createKnowledgeIndex } from './knowledge-index.ts';
import type { SupportService, SupportServiceDependencies } from './service.ts';
import { SEED_NOW } from './store/seed-data.ts';
import type { SearchPort } from './tools/index.ts';

/** A product over `db` (or a data dir) with the support service; the model makes it `agents`. */
export async function openSupportApp(options: {
  db?: Database;
  dataDir?: string;
  model?: LanguageModelV3;
  /** Wall-clock budget of an agents' turn (a CPU-bound local model needs more than the default). */
  budgetMs?: number;
  /** A tool call's timeout (tests of a hanging tool keep it short). */
  toolTimeoutMs?: number;
  /** Replaces the in-memory knowledge index (tests of a failing search). */
  retriever?: SearchPort;
  /** Operator tools (MCP) for the agents. */
  operatorTools?: readonly AnyAgentTool[];
  /** Verification limits and their clock. */
  verification?: SupportServiceDependencies['verification'];
}): Promise<{
  app: Groundwork;
  support: SupportService;
  /** Spread into `createHttpApp`'s options: the routes and customer directory, as `groundwork support` mounts them. */
  http: SupportApp['http'];
  close(): Promise<void>;
}> {
  const config = loadConfig({
    dataDir: options.dataDir ?? 'memory://',
    embedder: 'none',
    llm: { model: 'none' },
  });
  const app = await createGroundwork(config, {
    ...(options.db ? { db: options.db } : {}),
    ...(options.model ? { languageModel: { model: options.model, name: 'test:scripted' } } : {}),
  });
  const { service: support, http } = await createSupportApp(app, {
    retriever: options.retriever ?? (await createKnowledgeIndex()),
    now: () => SEED_NOW,
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
    ...(options.toolTimeoutMs === undefined ? {} : { toolTimeoutMs: options.toolTimeoutMs }),
    operatorTools: options.operatorTools ?? [],
    ...(options.verification ? { verification: options.verification } : {}),
  });
  return { app, support, http, close: () => app.close() };
}

/** The results the runner sent back in the last tool message of the prompt, by tool name. */
export function lastToolResults(call: LanguageModelV3CallOptions): Record<string, unknown> {
  const last = call.prompt.at(-1);
  if (last?.role !== 'tool') return {};
  const results: Record<string, unknown> = {};
  for (const part of last.content) {
    if (part.type !== 'tool-result') continue;
    const output = part.output;
    results[part.toolName] = output.type === 'json' || output.type === 'text' ? output.value : output;
  }
  return results;
}

/** The text of every message of the prompt, for checks that something did (not) reach the model. */
export function promptText(call: LanguageModelV3CallOptions): string {
  return JSON.stringify(call.prompt);
}
