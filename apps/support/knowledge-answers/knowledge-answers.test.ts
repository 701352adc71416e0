import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { createSupportApp } from '../create-support-app.ts';
import { ingestSupportKnowledge } from '../knowledge-sources.ts';
import type { SupportService } from '../service.ts';
import { KNOWLEDGE_CASES, KNOWN_FAILURES, type KnowledgeCase } from './cases.ts';

// The knowledge base as `groundwork support` serves it: three manuals as PDFs, the rest Markdown.
const MANUAL_FILES: Record<string, string> = {
  'NOVA-R7': 'nova-r7-router.pdf',
  'AUR-MESH-3': 'aurora-mesh-router.md',
  'LUM-T2': 'lumen-t2-thermostat.pdf',
  'HALO-C4X': 'halo-c4x-camera.pdf',
  'BEA-DB2': 'beacon-db2-doorbell.md',
  'SPK-P1': 'spark-p1-plug.md',
};

let app: Groundwork;
let support: SupportService;
let tenantId: string;

beforeAll(async () => {
  const config = loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' } });
  tenantId = config.defaultTenant;
  app = await createGroundwork(config, {});
  await ingestSupportKnowledge(app, tenantId);
  ({ service: support } = await createSupportApp(app, { model: null, operatorTools: [] }));
}, 120_000);
afterAll(() => app?.close());

/** Lines that a hard wrap or a PDF line break cut mid-sentence. */
function brokenLines(reply: string): string[] {
  return [...reply.matchAll(/[\p{Ll},;]\n+\p{Ll}[^\n]*/gu)].map((match) => match[0]);
}

async function ask(question: string) {
  const turn = await support.turn({ tenantId, message: question });
  const manualSources = turn.toolCalls
    .filter((call) => call.name === 'search_manuals')
    .flatMap((call) => (call.output as { passages: { source: string }[] }).passages)
    .map((passage) => passage.source.split('/').at(-1));
  return { reply: turn.reply, manualSources };
}

function check(item: KnowledgeCase, reply: string, manualSources: (string | undefined)[]): void {
  const lower = reply.toLowerCase();
  for (const phrase of item.expect) expect(lower, `expected "${phrase}"`).toContain(phrase.toLowerCase());
  for (const phrase of item.reject ?? [])
    expect(lower, `unexpected "${phrase}"`).not.toContain(phrase.toLowerCase());
  if (item.first) {
    const at = lower.indexOf(item.first.toLowerCase());
    expect(at).toBeGreaterThanOrEqual(0);
    for (const other of ['clearance', '14 days']) {
      const position = lower.indexOf(other);
      if (position >= 0) expect(at, `"${item.first}" before "${other}"`).toBeLessThan(position);
    }
  }
  if (item.product) {
    expect(manualSources.length).toBeGreaterThan(0);
    expect(new Set(manualSources)).toEqual(new Set([MANUAL_FILES[item.product]]));
  }
  expect(brokenLines(reply)).toEqual([]);
}

describe('product-aware answers over the served knowledge base', () => {
  const cases = (known: boolean) =>
    KNOWLEDGE_CASES.filter((item) => item.question in KNOWN_FAILURES === known).map(
      (item) => [item.question, item] as const,
    );
  it.each(cases(false))('%s', async (_question, item) => {
    const { reply, manualSources } = await ask(item.question);
    check(item, reply, manualSources);
  });
  it.fails.each(cases(true))('still fails: %s', async (_question, item) => {
    const { reply, manualSources } = await ask(item.question);
    check(item, reply, manualSources);
  });
});

describe('search_manuals with a product', () => {
  const search = (product: string) =>
    support.tools.searchManuals.execute(
      { query: 'how do I reset it', product },
      { tenantId, conversationId: 'c', runId: 'r', signal: new AbortController().signal },
    );

  it('searches only the named product manual, by name, nickname or model number', async () => {
    for (const [product, file] of [
      ['nova router', 'nova-r7-router.pdf'],
      ['NOVA R7', 'nova-r7-router.pdf'],
      ['the beacon doorbel', 'beacon-db2-doorbell.md'],
      ['Aurora satellite', 'aurora-mesh-router.md'],
    ] as const) {
      const output = await search(product);
      expect(output.passages.length).toBeGreaterThan(0);
      expect(new Set(output.passages.map((passage) => passage.source.split('/').at(-1)))).toEqual(
        new Set([file]),
      );
    }
  });

  it('says so, with no passages, for an ambiguous, unknown or manual-less product', async () => {
    expect(await search('router')).toMatchObject({
      passages: [],
      note: expect.stringContaining('Ask which one'),
    });
    expect(await search('toaster')).toMatchObject({
      passages: [],
      note: expect.stringContaining('No product called'),
    });
    expect(await search('NOVA-R5')).toMatchObject({
      passages: [],
      note: expect.stringContaining('no manual'),
    });
  });
});
