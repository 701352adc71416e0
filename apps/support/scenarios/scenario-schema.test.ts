import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from './runner.ts';
import { categoryOf } from './scenario.ts';
import { parseScenarios } from './scenario-schema.ts';

const valid = { id: 'a', topic: 'faq', turns: [{ user: 'hi', expect: {} }] };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
  return undefined;
}

describe('the scenario file', () => {
  it('ships at least 150 valid conversations over the categories the issue names', async () => {
    const scenarios = await loadScenarios();
    expect(scenarios.length).toBeGreaterThanOrEqual(150);
    const categories = new Set(scenarios.map(categoryOf));
    for (const category of [
      'typos',
      'split-slots',
      'hypothetical',
      'follow-up',
      'closing',
      'anger',
      'human-language',
      'language',
      'product-manual',
      'cross-customer',
      'approval',
      'consent',
      'operator',
      'bad-input',
      'change-of-mind',
    ])
      expect(categories).toContain(category);
  });

  it('accepts the old format unchanged and the new fields', () => {
    expect(parseScenarios([valid])).toHaveLength(1);
    const extended = {
      ...valid,
      category: 'consent',
      modes: ['scripted'],
      turns: [
        {
          user: 'return it',
          model: { tools: [{ name: 'start_return', args: { orderNumber: 'GW-10001' } }] },
          expect: { forbidTools: ['start_return'], notContains: ['opened'], language: 'es', manual: 'nova' },
        },
        { operator: { action: 'reply', text: 'Hi' }, expect: {} },
        { operator: { action: 'approve' }, expect: { contains: ['approved'], approvalRequested: false } },
        { user: 'hi again', newConversation: true, expect: { approvalListed: false } },
        { user: '', expect: { error: 'empty_message' } },
      ],
    };
    expect(parseScenarios([extended])[0]?.turns).toHaveLength(5);
  });

  it('rejects a misspelt expectation, naming the scenario and field', () => {
    const typo = { ...valid, turns: [{ user: 'hi', expect: { contain: ['x'] } }] };
    expect(codeOf(() => parseScenarios([typo]))).toMatch(
      /^invalid_scenarios: .*scenario 0 \(a\) turns\.0\.expect/,
    );
  });

  it('rejects a turn that is both or neither a message and an operator action', () => {
    const both = { ...valid, turns: [{ user: 'hi', operator: { action: 'claim' }, expect: {} }] };
    const neither = { ...valid, turns: [{ expect: {} }] };
    for (const scenario of [both, neither])
      expect(codeOf(() => parseScenarios([scenario]))).toMatch(/either `user` or `operator`/);
  });

  it('rejects operator turns that expect a reply, replies without text and unknown languages or modes', () => {
    const cases = [
      { ...valid, turns: [{ operator: { action: 'claim' }, expect: { escalated: true } }] },
      { ...valid, turns: [{ operator: { action: 'reply' }, expect: {} }] },
      { ...valid, turns: [{ user: 'hi', expect: { language: 'it' } }] },
      { ...valid, modes: ['agents'] },
      { ...valid, turns: [] },
    ];
    for (const scenario of cases)
      expect(codeOf(() => parseScenarios([scenario]))).toMatch(/^invalid_scenarios/);
  });

  it('rejects two scenarios with one id, and a file that is not JSON', async () => {
    expect(codeOf(() => parseScenarios([valid, valid]))).toMatch(/two scenarios named a/);
    const folder = await mkdtemp(path.join(tmpdir(), 'scenarios-'));
    const file = path.join(folder, 'broken.json');
    await writeFile(file, '[{"id": "a",');
    await expect(loadScenarios(file)).rejects.toMatchObject({ code: 'invalid_scenarios' });
  });
});
