import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globMatch, loadAnswerDataset } from './datasets.ts';

const MINI = path.resolve(import.meta.dirname, '__fixtures__/mini');
const scratch: string[] = [];

async function folder(files: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'answer-dataset-'));
  scratch.push(directory);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, name)), { recursive: true });
    await writeFile(path.join(directory, name), text);
  }
  return directory;
}

afterAll(async () => {
  for (const directory of scratch) await rm(directory, { recursive: true, force: true });
});

describe('answer datasets', () => {
  it('reads a native set and turns each bad line into an error with its reason, keeping the rest', async () => {
    const dataset = await loadAnswerDataset(MINI);
    expect(dataset.format).toBe('native');
    const good = dataset.entries.filter((entry) => entry.ok);
    expect(good.map((entry) => entry.ok && entry.item.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    const bad = dataset.entries.flatMap((entry) => (entry.ok ? [] : [[entry.id, entry.code, entry.reason]]));
    expect(bad).toEqual([
      ['q6', 'dataset_field_missing', '"question" must be a non-empty string'],
      ['q7', 'dataset_passage_unknown', 'passages not in corpus.jsonl: no-such-passage'],
      ['line-8', 'dataset_line_invalid', expect.stringContaining('not valid JSON')],
      ['q1', 'dataset_id_duplicate', 'the id q1 is used by an earlier question'],
    ]);
    expect(dataset.keyOf(`${MINI}/corpus.jsonl#refunds`, `${MINI}/corpus.jsonl`)).toBe('refunds');
  });

  it('reads the SQuAD BEIR layout: unanswerable questions have no references, a missing gold paragraph is an error', async () => {
    const directory = await folder({
      'corpus.jsonl': '{"_id": "A__p0", "title": "A", "text": "Normandy is a region in France."}\n',
      'queries.jsonl': [
        '{"_id": "a", "text": "In what country is Normandy?", "metadata": {"is_impossible": false, "answers": ["France"], "gold_paragraph": "A__p0"}}',
        '{"_id": "b", "text": "Who ruled Normandy in 3000?", "metadata": {"is_impossible": true, "answers": [], "gold_paragraph": "A__p0"}}',
        '{"_id": "c", "text": "Where?", "metadata": {"is_impossible": false, "answers": ["x"], "gold_paragraph": "B__p9"}}',
        '{"_id": "d", "text": "No metadata"}',
      ].join('\n'),
    });
    const dataset = await loadAnswerDataset(directory);
    expect(dataset.format).toBe('squad-beir');
    expect(dataset.entries[0]).toEqual({
      ok: true,
      item: {
        id: 'a',
        question: 'In what country is Normandy?',
        references: ['France'],
        expectedPassages: ['A__p0'],
        answerable: true,
        category: 'answerable',
      },
    });
    expect(dataset.entries[1]).toMatchObject({ ok: true, item: { answerable: false, references: [] } });
    expect(dataset.entries[2]).toMatchObject({ ok: false, code: 'dataset_passage_unknown' });
    expect(dataset.entries[3]).toMatchObject({ ok: false, code: 'dataset_field_missing' });
  });

  it('reads SQuAD-format JSON (COVID-QA) into a corpus of its contexts', async () => {
    const directory = await folder({
      'qa.json': JSON.stringify({
        data: [
          {
            title: 'Article',
            paragraphs: [
              {
                context: 'The virus binds the ACE2 receptor.',
                qas: [
                  { id: 1, question: 'Which receptor?', answers: [{ text: 'ACE2', answer_start: 20 }] },
                  { id: 2, question: 'No answers?', answers: [] },
                ],
              },
            ],
          },
        ],
      }),
    });
    const dataset = await loadAnswerDataset(directory);
    try {
      expect(dataset.format).toBe('squad-json');
      expect(dataset.entries[0]).toMatchObject({
        ok: true,
        item: { id: '1', references: ['ACE2'], expectedPassages: ['Article__p0'], answerable: true },
      });
      expect(dataset.entries[1]).toMatchObject({ ok: false, id: '2', code: 'dataset_field_missing' });
    } finally {
      await dataset.cleanup();
    }
  });

  it('reads MTRAG tasks as conversations, with unanswerable and underspecified turns told apart', async () => {
    const task = (id: string, answerability: string | string[], contexts: unknown[]) =>
      JSON.stringify({
        task_id: id,
        Collection: 'govt',
        answerability,
        contexts,
        input: [
          { speaker: 'user', text: 'What is a passport?' },
          { speaker: 'agent', text: 'A travel document.' },
          { speaker: 'user', text: 'How long is it valid?' },
        ],
        targets: [{ speaker: 'agent', text: 'Ten years for adults.' }],
      });
    const directory = await folder({
      'reference.jsonl': [
        task('t1', 'ANSWERABLE', [{ document_id: 'd1', text: 'Adult passports are valid for ten years.' }]),
        task('t2', ['UNANSWERABLE'], []),
        task('t3', 'UNDERSPECIFIED', []),
        '{"task_id": "t4", "input": []}',
      ].join('\n'),
    });
    const dataset = await loadAnswerDataset(directory);
    try {
      expect(dataset.entries[0]).toMatchObject({
        ok: true,
        item: {
          question: 'How long is it valid?',
          history: [
            { role: 'user', content: 'What is a passport?' },
            { role: 'assistant', content: 'A travel document.' },
          ],
          references: ['Ten years for adults.'],
          expectedPassages: ['d1'],
          answerable: true,
          category: 'govt/ANSWERABLE',
        },
      });
      expect(dataset.entries[1]).toMatchObject({ ok: true, item: { answerable: false, references: [] } });
      expect(dataset.entries[2]!.ok && dataset.entries[2]!.item.answerable).toBeUndefined();
      expect(dataset.entries[3]).toMatchObject({ ok: false, id: 't4', code: 'dataset_field_missing' });
    } finally {
      await dataset.cleanup();
    }
  });

  it('reads the Docugami 10-Q layout: source globs name the expected files; a glob matching none is an error', async () => {
    const directory = await folder({
      'docs/2023 Q1 AAPL.pdf': '%PDF-1.4',
      'docs/2023 Q2 AAPL.pdf': '%PDF-1.4',
      'qna_data.csv':
        '\uFEFFQuestion,Source Docs,Question Type,Source Chunk Type,Answer\n' +
        'Apple sales?,*AAPL*,Multi-Doc RAG,Table,"Up. (SOURCE: 2023 Q1 AAPL.pdf)"\n' +
        'Tesla sales?,*TSLA*,Single-Doc,Text,Down.\n' +
        ',*AAPL*,Single-Doc,Text,Empty question.\n',
    });
    const dataset = await loadAnswerDataset(directory);
    expect(dataset.format).toBe('docugami');
    expect(dataset.entries[0]).toMatchObject({
      ok: true,
      item: { references: ['Up.'], expectedPassages: ['2023 Q1 AAPL.pdf', '2023 Q2 AAPL.pdf'] },
    });
    expect(dataset.entries[1]).toMatchObject({ ok: false, code: 'dataset_passage_unknown' });
    expect(dataset.entries[2]).toMatchObject({ ok: false, code: 'dataset_field_missing' });
    expect(dataset.keyOf('/x/docs/2023 Q1 AAPL.pdf', '/x/docs/2023 Q1 AAPL.pdf')).toBe('2023 Q1 AAPL.pdf');
  });

  it('fails a folder it cannot read at all with a clear code', async () => {
    await expect(loadAnswerDataset('/no/such/folder')).rejects.toMatchObject({ code: 'dataset_not_found' });
    const empty = await folder({ 'notes.txt': 'nothing' });
    await expect(loadAnswerDataset(empty)).rejects.toMatchObject({ code: 'dataset_invalid' });
  });

  it('matches source globs case-insensitively, with * and ?', () => {
    expect(globMatch('*2023 Q3 AAPL*', '2023 Q3 AAPL.pdf')).toBe(true);
    expect(globMatch('*msft*', '2022 Q3 MSFT.pdf')).toBe(true);
    expect(globMatch('*2023 Q? NVDA*', '2023 Q1 NVDA.pdf')).toBe(true);
    expect(globMatch('*AAPL*', '2023 Q1 AMZN.pdf')).toBe(false);
  });
});
