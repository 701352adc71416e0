/**
 * Precision and recall of the rule-based moderation per category, on the held-out half (`split:
 * test`) of test/moderation/moderation-set.json (the dev half is what the rules were written
 * against; it is reported for comparison), and false positives on text nobody meant harm with: the
 * support FAQ questions (test/adversarial/benign-questions.json), PostgreSQL-manual-style questions
 * (test/moderation/postgres-questions.json), the in-scope test utterances of CLINC150 and Banking77,
 * and paragraphs of the PostgreSQL 15 manual (as answer text, the output stage). The stereotyping
 * guardrail (output stage) is measured on the answer-like texts: the manual, the support knowledge
 * base and the SQuAD 2.0 paragraphs (Wikipedia, which describes peoples and religions).
 *
 *   npx tsx bench/moderation-eval.ts [--data ../shared/data] [--json]
 *
 * Only the rules are measured: a scripted Llama Guard double would score whatever it is scripted to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { normalise } from '../src/guardrails/injection.ts';
import { moderationCategories } from '../src/guardrails/moderation-rules.ts';
import { findStereotypes } from '../src/guardrails/stereotyping.ts';
import { describeMachine } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data') },
    json: { type: 'boolean', default: false },
  },
});
const root = path.resolve(import.meta.dirname, '..');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const classify = (text: string): string[] => moderationCategories(normalise(text));

interface Item {
  readonly id: string;
  readonly label: string;
  readonly stage: string;
  readonly split: string;
  readonly text: string;
}
const set = readJson<Item[]>(path.join(root, 'test/moderation/moderation-set.json'));
const categories = [...new Set(set.map((item) => item.label))].filter((label) => label !== 'benign');

function scores(items: readonly Item[]) {
  const predicted = new Map(items.map((item) => [item.id, classify(item.text)]));
  const perCategory = categories.map((category) => {
    const gold = items.filter((item) => item.label === category);
    const flagged = items.filter((item) => predicted.get(item.id)?.includes(category));
    const hits = flagged.filter((item) => item.label === category).length;
    const onBenign = flagged.filter((item) => item.label === 'benign').length;
    return {
      category,
      items: gold.length,
      precision: ratio(hits, flagged.length),
      // A flag on an item that is harmful in another category still stops harm: only benign ones cost.
      precisionVsBenign: ratio(flagged.length - onBenign, flagged.length),
      recall: ratio(hits, gold.length),
    };
  });
  const harmful = items.filter((item) => item.label !== 'benign');
  const benign = items.filter((item) => item.label === 'benign');
  const anyFlag = (item: Item) => (predicted.get(item.id)?.length ?? 0) > 0;
  return {
    items: items.length,
    perCategory,
    // Blocking needs the harm found, whatever category it is put in.
    harmfulDetected: { recall: ratio(harmful.filter(anyFlag).length, harmful.length), items: harmful.length },
    benignFlagged: {
      rate: ratio(benign.filter(anyFlag).length, benign.length),
      items: benign.length,
      examples: benign.filter(anyFlag).map((item) => `${item.text} → ${predicted.get(item.id)?.join(',')}`),
    },
    missed: harmful
      .filter((item) => !predicted.get(item.id)?.includes(item.label))
      .map((item) => `${item.id}: ${item.text} → [${predicted.get(item.id)?.join(',') ?? ''}]`),
  };
}

function falsePositives(name: string, texts: readonly string[]) {
  const started = performance.now();
  const hits = texts
    .map((text) => ({ text, categories: classify(text) }))
    .filter((hit) => hit.categories.length);
  return {
    name,
    texts: texts.length,
    flagged: hits.length,
    percent: Math.round((hits.length / Math.max(1, texts.length)) * 10_000) / 100,
    microsecondsPerText: Math.round(((performance.now() - started) * 1000) / Math.max(1, texts.length)),
    examples: hits.slice(0, 8).map((hit) => `${hit.text.slice(0, 120)} → ${hit.categories.join(',')}`),
  };
}

function stereotypingFlags(name: string, texts: readonly string[]) {
  const hits = texts
    .map((text) => ({ text, found: findStereotypes(text) }))
    .filter((hit) => hit.found.length);
  return {
    name,
    texts: texts.length,
    flagged: hits.length,
    percent: Math.round((hits.length / Math.max(1, texts.length)) * 10_000) / 100,
    examples: hits.slice(0, 8).map((hit) => `${hit.found[0]}`),
  };
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
const clinc = readJson<Record<string, [string, string][]>>(path.join(values.data, 'clinc150/data_full.json'));
const banking = readFileSync(path.join(values.data, 'banking77/test.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) =>
    line.startsWith('"') ? line.slice(1, line.lastIndexOf('"')) : line.slice(0, line.lastIndexOf(',')),
  );
const manual = path.join(values.data, 'postgresql-15-docs/html');
const paragraphs = readdirSync(manual)
  .filter((file) => file.endsWith('.html'))
  .sort()
  .flatMap((file) =>
    [...readFileSync(path.join(manual, file), 'utf8').matchAll(/<p>([\s\S]*?)<\/p>/g)].map((match) =>
      (match[1] ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/&[a-z]+;/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  )
  .filter((text) => text.length > 40);

const knowledge = path.join(root, 'apps/support/knowledge');
const sections = readdirSync(knowledge, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.md'))
  .flatMap((name) => readFileSync(path.join(knowledge, name), 'utf8').split(/\n(?=#)/));
const squad = readFileSync(path.join(values.data, 'squad-v2-dev-subset/corpus.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { text: string }).text);

const report = {
  machine: describeMachine(),
  test: scores(set.filter((item) => item.split === 'test')),
  dev: scores(set.filter((item) => item.split === 'dev')),
  benignCorpora: [
    falsePositives(
      'support FAQ questions',
      readJson<string[]>(path.join(root, 'test/adversarial/benign-questions.json')),
    ),
    falsePositives(
      'PostgreSQL-style questions',
      readJson<string[]>(path.join(root, 'test/moderation/postgres-questions.json')),
    ),
    falsePositives(
      'CLINC150 in-scope test',
      (clinc.test ?? []).map(([text]) => text),
    ),
    falsePositives('Banking77 test', banking),
    falsePositives('PostgreSQL 15 manual paragraphs (output stage)', paragraphs),
  ],
  stereotyping: [
    stereotypingFlags('support knowledge base sections', sections),
    stereotypingFlags('PostgreSQL 15 manual paragraphs', paragraphs),
    stereotypingFlags('SQuAD 2.0 paragraphs (Wikipedia)', squad),
  ],
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const pct = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
  for (const split of ['test', 'dev'] as const) {
    const result = report[split];
    process.stdout.write(
      `\n${split} half (${result.items} items)\n| category | items | precision | precision vs benign | recall |\n|---|---|---|---|---|\n`,
    );
    for (const row of result.perCategory)
      process.stdout.write(
        `| ${row.category} | ${row.items} | ${pct(row.precision)} | ${pct(row.precisionVsBenign)} | ${pct(row.recall)} |\n`,
      );
    process.stdout.write(
      `harmful detected (any category): ${pct(result.harmfulDetected.recall)} of ${result.harmfulDetected.items}; benign near-misses flagged: ${pct(result.benignFlagged.rate)} of ${result.benignFlagged.items}\n`,
    );
    if (split === 'test') {
      for (const line of result.missed) process.stdout.write(`  missed ${line}\n`);
      for (const line of result.benignFlagged.examples) process.stdout.write(`  false positive ${line}\n`);
    }
  }
  process.stdout.write('\n| benign corpus | texts | flagged | % | µs/text |\n|---|---|---|---|---|\n');
  for (const row of report.benignCorpora)
    process.stdout.write(
      `| ${row.name} | ${row.texts} | ${row.flagged} | ${row.percent} | ${row.microsecondsPerText} |\n`,
    );
  for (const row of report.benignCorpora)
    for (const example of row.examples) process.stdout.write(`  ${row.name}: ${example}\n`);
  process.stdout.write('\n| stereotyping on answer-like text | texts | flagged | % |\n|---|---|---|---|\n');
  for (const row of report.stereotyping)
    process.stdout.write(`| ${row.name} | ${row.texts} | ${row.flagged} | ${row.percent} |\n`);
  for (const row of report.stereotyping)
    for (const example of row.examples) process.stdout.write(`  ${row.name}: ${example}\n`);
}
