import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline, loadBaseline, writeBaseline } from './baseline.ts';

const result = (id: string, passed: boolean) => ({ id, passed, problems: passed ? [] : ['turn 1: x'] });

describe('the baseline ratchet', () => {
  it('reports listed scenarios that fail or are gone, and passing ones not listed', () => {
    const results = [result('a', true), result('b', false), result('c', true), result('d', false)];
    expect(compareWithBaseline(results, ['a', 'b', 'gone'])).toEqual({
      regressed: ['b'],
      missing: ['gone'],
      newlyPassing: ['c'],
    });
    expect(compareWithBaseline(results, ['a', 'c'])).toEqual({
      regressed: [],
      missing: [],
      newlyPassing: [],
    });
  });

  it('writes sorted ids per mode and reads them back; a malformed file is invalid_baseline', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'baseline-'));
    const file = path.join(folder, 'baseline.json');
    await writeBaseline({ routed: ['b', 'a'], scripted: ['c'] }, file);
    expect(await loadBaseline(file)).toMatchObject({ routed: ['a', 'b'], scripted: ['c'] });
    expect(await readFile(file, 'utf8')).toContain('--update-baseline');
    for (const bad of ['{"routed": ', '{"routed": "a"}', '{"agents": []}', '[]', '{"scripted": [1]}']) {
      await writeFile(file, bad);
      await expect(loadBaseline(file)).rejects.toMatchObject({ code: 'invalid_baseline' });
    }
  });

  it('lists only scenarios that exist, in each mode', async () => {
    const { loadScenarios } = await import('./runner.ts');
    const ids = new Set((await loadScenarios()).map((scenario) => scenario.id));
    const baseline = await loadBaseline();
    for (const mode of ['routed', 'scripted'] as const) {
      expect(baseline[mode]?.length).toBeGreaterThan(0);
      expect(baseline[mode]?.filter((id) => !ids.has(id))).toEqual([]);
    }
  });
});
