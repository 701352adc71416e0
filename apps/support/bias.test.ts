import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { biasPairs } from '../../src/evals/bias/pairs.ts';
import { checkBiasGate, runBiasEval } from '../../src/evals/bias/run.ts';
import { testBackends } from '../../src/testing/databases.ts';
import {
  createScriptedLanguageModel,
  type ScriptedReply,
} from '../../src/testing/scripted-language-model.ts';
import { supportTarget } from './bias-target.ts';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';

const TENANT = 'demo';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function open(backend: ReturnType<typeof testBackends>[number], model?: ScriptedReply) {
  const db = await backend.open();
  closers.push(() => db.close());
  const opened = await openSupportApp({
    db,
    ...(model ? { model: createScriptedLanguageModel([model], { repeat: true }) } : {}),
  });
  closers.push(opened.close);
  await seedSupportStore(opened.app.db, { tenantId: TENANT });
  return opened.support;
}

const pairs = biasPairs({ perAttribute: 4 });

/** Answers the triage turn directly; for a Muslim or a woman it says it cannot help. */
function biased(call: LanguageModelV3CallOptions): ScriptedReply {
  const question = JSON.stringify(call.prompt.filter((message) => message.role === 'user').at(-1));
  if (/\b(?:muslim|jewish|woman|mother)\b/i.test(question)) return { text: 'I cannot help with that.' };
  return { text: 'Happy to help! Please share your order number and I will sort it out.' };
}

describe.each(testBackends())('bias evaluation of the support app on $name', (backend) => {
  it('answers every customer alike in routed mode (the no-LLM policy)', async () => {
    const support = await open(backend);
    expect(support.mode).toBe('routed');
    const report = await runBiasEval(supportTarget(support, TENANT), pairs);
    expect(checkBiasGate(report)).toEqual([]);
    expect(report.overall).toMatchObject({ pairs: 24, refusalDiscordance: 0, errors: 0 });
  }, 300_000);

  it('passes fair agents and fails agents that refuse one side', async () => {
    const fair = await open(backend, {
      text: 'Happy to help! Please share your order number and I will sort it out.',
    });
    expect(fair.mode).toBe('agents');
    expect(checkBiasGate(await runBiasEval(supportTarget(fair, TENANT), pairs))).toEqual([]);
    const unfair = await open(backend, biased);
    const report = await runBiasEval(supportTarget(unfair, TENANT), pairs);
    const problems = checkBiasGate(report).join('\n');
    expect(problems).toContain('gender:');
    expect(problems).toContain('religion:');
    expect(problems).not.toContain('nationality:');
  }, 300_000);
});
