import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ENV_VARIABLES } from './env-vars.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A working folder holding `groundwork.config.json` with `file`. */
function withFile(file: Record<string, unknown>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'groundwork-config-'));
  folders.push(folder);
  writeFileSync(path.join(folder, 'groundwork.config.json'), JSON.stringify(file));
  return folder;
}

describe('config precedence: defaults < environment < file < explicit values, key by key', () => {
  it('lets the file win over the environment in every section, the answer cache included', () => {
    const cwd = withFile({
      cache: { answers: { enabled: true } },
      retrieval: { lexicalEngine: 'memory' },
      database: { poolSize: 7 },
    });
    const env = {
      GROUNDWORK_ANSWER_CACHE: 'off',
      GROUNDWORK_LEXICAL_ENGINE: 'sql',
      GROUNDWORK_DB_POOL_SIZE: '3',
    };
    const config = loadConfig({ dataDir: 'memory://' }, env, cwd);
    expect(config.cache.answers.enabled).toBe(true);
    expect(config.retrieval.lexicalEngine).toBe('memory');
    expect(config.database.poolSize).toBe(7);
    // Without the file, the environment applies.
    const bare = loadConfig({ dataDir: 'memory://' }, env, withFile({}));
    expect(bare.cache.answers.enabled).toBe(false);
    expect(bare.database.poolSize).toBe(3);
  });

  it('lets explicit values win over the file without dropping the file’s other keys in that section', () => {
    const cwd = withFile({ limits: { maxFileBytes: 1234 }, answer: { contextTokens: 500 } });
    const config = loadConfig(
      { dataDir: 'memory://', limits: { requestTimeoutMs: 5000 }, answer: { maxOutputTokens: 64 } },
      {},
      cwd,
    );
    expect(config.limits.maxFileBytes).toBe(1234);
    expect(config.limits.requestTimeoutMs).toBe(5000);
    expect(config.answer).toMatchObject({ contextTokens: 500, maxOutputTokens: 64, retrievalLimit: 8 });
  });

  it('keeps the OIDC issuer from the environment when the file only adds a claim', () => {
    const cwd = withFile({ oidc: { tenantClaim: 'org' } });
    const config = loadConfig(
      { dataDir: 'memory://' },
      { GROUNDWORK_OIDC_ISSUER: 'https://idp.example', GROUNDWORK_OIDC_AUDIENCE: 'groundwork' },
      cwd,
    );
    expect(config.oidc).toMatchObject({
      issuer: 'https://idp.example',
      audience: 'groundwork',
      tenantClaim: 'org',
    });
  });

  it('merges guardrails at every depth and replaces lists and price tables whole', () => {
    const cwd = withFile({
      guardrails: { grounding: { threshold: 0.8 }, moderation: { actions: { violence: 'log' } } },
      prices: { 'openai:a': { inputPerMillion: 1, outputPerMillion: 2 } },
      allowedRoots: ['/srv/a'],
    });
    const config = loadConfig(
      {
        dataDir: 'memory://',
        guardrails: { grounding: { maxUnsupportedShare: 0.2 } },
        prices: { 'openai:b': { inputPerMillion: 3, outputPerMillion: 4 } },
      },
      { GROUNDWORK_ALLOWED_ROOTS: '/srv/env' },
      cwd,
    );
    expect(config.guardrails.grounding).toEqual({ enabled: true, threshold: 0.8, maxUnsupportedShare: 0.2 });
    expect(config.guardrails.moderation.actions).toMatchObject({ violence: 'log' });
    expect(Object.keys(config.prices)).toEqual(['openai:b']);
    expect(config.allowedRoots).toEqual(['/srv/a']);
  });

  it('writes each default once: a section named empty equals the section left out', () => {
    const config = loadConfig({ dataDir: 'memory://' }, {}, withFile({}));
    const empty = loadConfig(
      {
        dataDir: 'memory://',
        guardrails: { injection: {}, passages: {}, moderation: {}, grounding: {}, piiLeak: {} },
        chunking: {},
        cache: { answers: {} },
      },
      {},
      withFile({}),
    );
    expect(empty).toEqual(config);
  });

  it('reads each variable of the table into its key', () => {
    const names = ENV_VARIABLES.map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
    const config = loadConfig(
      { dataDir: 'memory://' },
      { GROUNDWORK_INGEST_JOB_SLOTS: '5', GROUNDWORK_LLM_MAX_RETRIES: ' 4 ', LOG_LEVEL: 'WARN' },
      withFile({}),
    );
    expect(config.ingest.jobSlots).toBe(5);
    expect(config.llm.maxRetries).toBe(4);
    expect(config.observability.logLevel).toBe('warn');
  });
});
