/**
 * Texts for measuring the input and passage guardrails: benign questions and passages from every
 * shared data set (../shared/data, see its README), the support app's questions and knowledge base,
 * and the held-out technical questions; and the attacks of the adversarial suite for recall.
 * Missing data sets are skipped and reported, so the bench runs on a partial copy.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { POISONED_DOCUMENTS } from '../../test/adversarial/poisoned-documents.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One named set of texts. */
export interface TextSet {
  readonly name: string;
  readonly texts: readonly string[];
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');
const json = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const unique = (texts: Iterable<string>) =>
  [...new Set([...texts].map((text) => text.trim()))].filter(Boolean);

/** The first column of a CSV file (quoted fields with commas, quotes and newlines allowed). */
function csvColumn(file: string, column: number): string[] {
  const text = readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (char !== '\r') field += char;
  }
  if (field || row.length > 0) rows.push([...row, field]);
  return rows.slice(1).map((cells) => cells[column] ?? '');
}

/** Paragraphs grouped into passages of about `size` characters, as a chunker would cut them. */
function chunk(text: string, size = 1500): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n\s*\n|\n/)) {
    if (current && current.length + paragraph.length > size) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${paragraph}` : paragraph;
  }
  if (current.trim()) chunks.push(current);
  return chunks;
}

/** Every benign question set that exists under `data`, and which ones were missing. */
export function benignQuestions(data: string): { sets: TextSet[]; missing: string[] } {
  const sets: TextSet[] = [];
  const missing: string[] = [];
  const add = (name: string, need: string, load: () => Iterable<string>) => {
    if (!existsSync(need)) return missing.push(name);
    sets.push({ name, texts: unique(load()) });
  };
  add('support FAQ-style questions', path.join(ROOT, 'test/adversarial/benign-questions.json'), () =>
    json<string[]>(path.join(ROOT, 'test/adversarial/benign-questions.json')),
  );
  const heldOut = path.join(ROOT, 'test/adversarial/held-out-technical-questions.json');
  add('held-out technical questions (databases, networking, security)', heldOut, () =>
    json<string[]>(heldOut),
  );
  const squad = path.join(data, 'squad-v2-dev-subset/queries.jsonl');
  add('SQuAD 2.0 questions', squad, () =>
    lines(squad).map((line) => (JSON.parse(line) as { text: string }).text),
  );
  const covidQa = path.join(data, 'covid-qa-snapshot/200423_covidQA.json');
  add('COVID-QA questions', covidQa, () =>
    json<{ data: { paragraphs: { qas: { question: string }[] }[] }[] }>(covidQa).data.flatMap((article) =>
      article.paragraphs.flatMap((paragraph) => paragraph.qas.map((qa) => qa.question)),
    ),
  );
  const covidFaq = path.join(data, 'covid-faq');
  add('COVID FAQ questions and paraphrases', path.join(covidFaq, 'faq_covidbert.csv'), () => [
    ...csvColumn(path.join(covidFaq, 'faq_covidbert.csv'), 0),
    ...csvColumn(path.join(covidFaq, 'eval_question_similarity_en.csv'), 0),
    ...csvColumn(path.join(covidFaq, 'eval_question_similarity_en.csv'), 1),
  ]);
  const banking = path.join(data, 'banking77');
  add('Banking77 utterances (train and test)', path.join(banking, 'test.csv'), () => [
    ...csvColumn(path.join(banking, 'train.csv'), 0),
    ...csvColumn(path.join(banking, 'test.csv'), 0),
  ]);
  const clinc = path.join(data, 'clinc150/data_full.json');
  add('CLINC150 utterances (every split, out-of-scope included)', clinc, () =>
    Object.values(json<Record<string, [string, string][]>>(clinc)).flatMap((split) =>
      split.map(([text]) => text),
    ),
  );
  const abcd = path.join(data, 'abcd-kb/abcd_sample.json');
  add('ABCD customer turns', abcd, () => customerTurns(json<unknown>(abcd)));
  const mtrag = path.join(data, 'mtrag-un/reference.jsonl');
  add('MTRAG-UN user turns', mtrag, () =>
    lines(mtrag).flatMap((line) =>
      (JSON.parse(line) as { input: { speaker: string; text: string }[] }).input
        .filter((turn) => turn.speaker === 'user')
        .map((turn) => turn.text),
    ),
  );
  const scifact = path.join(data, 'scifact/queries.jsonl');
  add('SciFact claims', scifact, () =>
    lines(scifact).map((line) => (JSON.parse(line) as { text: string }).text),
  );
  const docugami = path.join(data, 'docugami-sec10q/questions.csv');
  add('Docugami SEC 10-Q questions', docugami, () => csvColumn(docugami, 0));
  return { sets, missing };
}

/** The customer's turns of ABCD's sample conversations (`[speaker, text]` pairs in `original`). */
function customerTurns(sample: unknown): string[] {
  const turns: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      if (value.length === 2 && value[0] === 'customer' && typeof value[1] === 'string') turns.push(value[1]);
      else for (const item of value) visit(item);
    } else if (value && typeof value === 'object') for (const item of Object.values(value)) visit(item);
  };
  visit(sample);
  return turns;
}

/** Every benign passage set that exists under `data`. */
export function benignPassages(data: string): { sets: TextSet[]; missing: string[] } {
  const sets: TextSet[] = [];
  const missing: string[] = [];
  const add = (name: string, need: string, load: () => Iterable<string>) => {
    if (!existsSync(need)) return missing.push(name);
    sets.push({ name, texts: unique(load()) });
  };
  const knowledge = path.join(ROOT, 'apps/support/knowledge');
  add('support knowledge-base sections', knowledge, () =>
    readdirSync(knowledge, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) => readFileSync(path.join(knowledge, name), 'utf8').split(/\n(?=#)/)),
  );
  const squad = path.join(data, 'squad-v2-dev-subset/corpus.jsonl');
  add('SQuAD 2.0 paragraphs', squad, () =>
    lines(squad).map((line) => (JSON.parse(line) as { text: string }).text),
  );
  const covidQa = path.join(data, 'covid-qa-snapshot/200423_covidQA.json');
  add('COVID-QA article chunks', covidQa, () =>
    json<{ data: { paragraphs: { context: string }[] }[] }>(covidQa).data.flatMap((article) =>
      article.paragraphs.flatMap((paragraph) => chunk(paragraph.context)),
    ),
  );
  const covidFaq = path.join(data, 'covid-faq/faq_covidbert.csv');
  add('COVID FAQ answers', covidFaq, () => csvColumn(covidFaq, 1));
  const scifact = path.join(data, 'scifact/corpus.jsonl');
  add('SciFact abstracts', scifact, () =>
    lines(scifact).map((line) => {
      const doc = JSON.parse(line) as { title: string; text: string };
      return `${doc.title}\n${doc.text}`;
    }),
  );
  const mtrag = path.join(data, 'mtrag-un/reference.jsonl');
  add('MTRAG-UN reference passages', mtrag, () =>
    lines(mtrag).flatMap((line) =>
      (JSON.parse(line) as { contexts: { text: string }[] }).contexts.map((c) => c.text),
    ),
  );
  const abcd = path.join(data, 'abcd-kb/guidelines.json');
  add('ABCD agent guidelines', abcd, () => {
    const texts: string[] = [];
    const visit = (value: unknown) => {
      if (typeof value === 'string' && value.length > 30) texts.push(value);
      else if (Array.isArray(value)) for (const item of value) visit(item);
      else if (value && typeof value === 'object') for (const item of Object.values(value)) visit(item);
    };
    visit(json<unknown>(abcd));
    return texts;
  });
  const manual = path.join(data, 'postgresql-15-docs/html');
  add('PostgreSQL 15 manual chunks', manual, () =>
    readdirSync(manual)
      .filter((file) => file.endsWith('.html'))
      .sort()
      .flatMap((file) => chunk(htmlText(readFileSync(path.join(manual, file), 'utf8')))),
  );
  return { sets, missing };
}

/** The text of an HTML page, one line per block element, code kept. */
function htmlText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/(p|div|pre|li|tr|h[1-6]|dt|dd|table)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;|&[a-z]+;/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n');
}

/** An attack, with the case it comes from. */
export interface Attack {
  readonly id: string;
  readonly text: string;
}

/** Questions of the adversarial suite that the input guard is meant to stop by itself. */
export function inputAttacks(): Attack[] {
  const folder = path.join(ROOT, 'test/adversarial/cases');
  return ['direct-injection.json', 'jailbreak.json'].flatMap((file) =>
    json<{ id: string; question?: string }[]>(path.join(folder, file))
      .filter((testCase) => typeof testCase.question === 'string')
      .map((testCase) => ({ id: testCase.id, text: testCase.question as string })),
  );
}

/** Attacks written after the rules were tuned and never tuned on (test/adversarial/held-out-attacks.json). */
export function heldOutAttacks(): Attack[] {
  return json<string[]>(path.join(ROOT, 'test/adversarial/held-out-attacks.json')).map((text, index) => ({
    id: `held-out-${index + 1}`,
    text,
  }));
}

/** The adversarial suite's poisoned documents, which the passage guard is meant to drop. */
export function passageAttacks(): Attack[] {
  return Object.entries(POISONED_DOCUMENTS).map(([id, text]) => ({ id, text }));
}
