/**
 * Precision and recall of the PII detectors (src/guardrails/pii.ts) on the labelled set
 * test/privacy/pii-set.ts, per type and overall, for the `dev` and held-out `test` halves. A finding
 * counts as right when type and exact text match a label; anything else found is a false positive
 * (the hard negatives hold none), and every label not found is a miss.
 *
 *   npx tsx bench/pii-detectors.ts [--json] [--misses]
 */
import { parseArgs } from 'node:util';
import { detectPii, type PiiType } from '../src/guardrails/pii.ts';
import { PII_SET, type PiiCase } from '../test/privacy/pii-set.ts';

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, misses: { type: 'boolean', default: false } },
});

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

function score(cases: readonly PiiCase[]) {
  const byType = new Map<string, Tally>();
  const tally = (type: string) => {
    const found = byType.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    byType.set(type, found);
    return found;
  };
  const errors: string[] = [];
  for (const item of cases) {
    const expected = item.entities.map(([type, text]) => `${type}\u0000${text}`);
    const found = detectPii(item.text)
      .filter((entity) => entity.type !== 'secret')
      .map((entity) => `${entity.type}\u0000${entity.text}`);
    const unmatched = [...expected];
    for (const key of found) {
      const type = key.split('\u0000')[0] as PiiType;
      const at = unmatched.indexOf(key);
      if (at >= 0) {
        unmatched.splice(at, 1);
        tally(type).tp++;
      } else {
        tally(type).fp++;
        errors.push(`FP ${key.replace('\u0000', ': ')}   in "${item.text}"`);
      }
    }
    for (const key of unmatched) {
      tally(key.split('\u0000')[0] as string).fn++;
      errors.push(`FN ${key.replace('\u0000', ': ')}   in "${item.text}"`);
    }
  }
  const total = [...byType.values()].reduce(
    (sum, t) => ({ tp: sum.tp + t.tp, fp: sum.fp + t.fp, fn: sum.fn + t.fn }),
    { tp: 0, fp: 0, fn: 0 },
  );
  return { byType, total, errors };
}

const pct = (n: number, d: number) => (d === 0 ? '  n/a' : ((100 * n) / d).toFixed(1).padStart(5));
const rows: Record<string, unknown>[] = [];
for (const split of ['dev', 'test', 'holdout', 'all'] as const) {
  const cases = split === 'all' ? PII_SET : PII_SET.filter((item) => item.split === split);
  const { byType, total, errors } = score(cases);
  const line = (name: string, t: Tally) => {
    rows.push({
      split,
      type: name,
      ...t,
      precision: t.tp / (t.tp + t.fp || 1),
      recall: t.tp / (t.tp + t.fn || 1),
    });
    if (!values.json) {
      process.stdout.write(
        `${split.padEnd(5)} ${name.padEnd(12)} TP ${String(t.tp).padStart(3)}  FP ${String(t.fp).padStart(3)}  FN ${String(t.fn).padStart(3)}   P ${pct(t.tp, t.tp + t.fp)}  R ${pct(t.tp, t.tp + t.fn)}\n`,
      );
    }
  };
  if (!values.json) process.stdout.write(`\n${split}: ${cases.length} sentences\n`);
  for (const [type, t] of [...byType].sort()) line(type, t);
  line('ALL', total);
  if (values.misses && split !== 'all' && !values.json)
    for (const error of errors) process.stdout.write(`  ${error}\n`);
}
if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
