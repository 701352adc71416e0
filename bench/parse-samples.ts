/**
 * @module bench/parse-samples
 * Robustness run of the parser registry over real, awkward files. Every file must end either ok
 * or failed with a reason; the process must neither crash nor hang. Prints one row per file, the
 * totals and the peak resident memory, and for PDFs compares the character count with the
 * `pdftotext_chars` column of the samples' manifest.
 *
 * Usage: npx tsx bench/parse-samples.ts [--quiet] [dir...]
 * Defaults to ../shared/data/pdf-samples and ../shared/data/docx-samples next to the repository.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError, GroundworkError } from '../src/errors.ts';
import { createParserRegistry } from '../src/ingest/parsers/index.ts';

const repoRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const requested = args.filter((arg) => !arg.startsWith('--'));
const dirs =
  requested.length > 0
    ? requested.map((dir) => path.resolve(dir))
    : [
        path.resolve(repoRoot, '../shared/data/pdf-samples'),
        path.resolve(repoRoot, '../shared/data/docx-samples'),
      ];

interface Row {
  readonly file: string;
  readonly outcome: string;
  readonly ms: number;
  readonly ok: boolean;
  readonly note?: string;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** `pdftotext_chars` per manifest path, for every manifest.tsv found in the given directories. */
async function loadManifests(roots: readonly string[]): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  for (const root of roots) {
    const text = await readFile(path.join(root, 'manifest.tsv'), 'utf8').catch(() => undefined);
    if (!text) continue;
    const [header, ...lines] = text.trim().split('\n');
    const columns = header?.split('\t') ?? [];
    const pathColumn = columns.indexOf('path');
    const charsColumn = columns.indexOf('pdftotext_chars');
    for (const line of lines) {
      const cells = line.split('\t');
      const chars = Number(cells[charsColumn]);
      if (cells[pathColumn] && Number.isFinite(chars))
        expected.set(path.join(root, cells[pathColumn]), chars);
    }
  }
  return expected;
}

function compare(actual: number, expected: number | undefined): string | undefined {
  if (expected === undefined) return undefined;
  const big = Math.abs(actual - expected) > 200 && (actual < expected * 0.7 || actual > expected * 1.3);
  return `pdftotext ${expected}${big ? ' ← differs' : ''}`;
}

async function main(): Promise<void> {
  const registry = createParserRegistry();
  const expected = await loadManifests(dirs);
  const rows: Row[] = [];
  const started = performance.now();
  for (const dir of dirs) {
    for (const file of await listFiles(dir)) {
      const t0 = performance.now();
      const name = path.relative(path.dirname(dir), file);
      try {
        const result = await registry.parseFile(file);
        const blocks = result.documents.reduce((sum, doc) => sum + doc.blocks.length, 0);
        const chars = result.documents.reduce(
          (sum, doc) => sum + doc.blocks.reduce((inner, block) => inner + block.text.length, 0),
          0,
        );
        const pages = result.documents[0]?.pageCount;
        const scanned = result.documents[0]?.scannedPages?.length;
        const outcome =
          `ok ${result.parser}: ${pages === undefined ? '' : `${pages} p, `}` +
          `${result.documents.length > 1 ? `${result.documents.length} docs, ` : ''}${blocks} blocks, ${chars} chars` +
          `${scanned ? `, ${scanned} scanned` : ''}${result.warnings.length ? `, ${result.warnings.length} warnings` : ''}`;
        rows.push({
          file: name,
          outcome,
          ms: performance.now() - t0,
          ok: true,
          note: compare(chars, expected.get(file)),
        });
      } catch (error) {
        const code = GroundworkError.isInstance(error) ? error.code : 'CRASH';
        rows.push({
          file: name,
          outcome: `failed ${code}: ${describeError(error)}`,
          ms: performance.now() - t0,
          ok: false,
          note: compare(0, expected.get(file)),
        });
      }
    }
  }
  const totalMs = performance.now() - started;
  await registry.close();
  if (!quiet) {
    console.log('| file | outcome | ms | note |');
    console.log('|---|---|---:|---|');
    for (const row of rows) {
      console.log(
        `| ${row.file} | ${row.outcome.replace(/\|/g, '\\|')} | ${row.ms.toFixed(0)} | ${row.note ?? ''} |`,
      );
    }
  }
  const failed = rows.filter((row) => !row.ok);
  const crashed = failed.filter((row) => row.outcome.startsWith('failed CRASH'));
  const codes = new Map<string, number>();
  for (const row of failed) {
    const code = /^failed (\w+)/.exec(row.outcome)?.[1] ?? '?';
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  console.log(
    `\n${rows.length} files: ${rows.length - failed.length} ok, ${failed.length} failed with a reason` +
      ` (${[...codes].map(([code, count]) => `${code} ${count}`).join(', ') || 'none'}), ${crashed.length} without one`,
  );
  console.log(
    `total ${(totalMs / 1000).toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  if (crashed.length > 0) process.exitCode = 1;
}

await main();
