/**
 * @module ingest/parsers/record-readers
 * Reads CSV and JSON (array, wrapped array, or JSON Lines) into plain records. A bad row becomes a
 * warning; only a file that cannot be read at all fails.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { IngestError } from '../../errors.ts';
import { locateJsonError, positionOf } from './json-error-position.ts';

/** One record and where it came from (1-based record number; for CSV also its line). */
export interface SourceRecord {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly number: number;
  readonly line?: number;
}

/** Records plus per-row remarks. */
export interface RecordBatch {
  readonly records: SourceRecord[];
  readonly warnings: string[];
}

/** Reads CSV with a header row; `delimiter` defaults to a guess among `,`, `;` and tab. */
export function readCsvRecords(text: string, delimiter?: string): RecordBatch {
  const warnings: string[] = [];
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  const skipped: string[] = [];
  let rows: { record: Record<string, string>; info: { lines: number; error?: { message?: string } } }[];
  try {
    rows = parseCsv(text, {
      bom: true,
      columns: uniqueColumns,
      delimiter: delimiter ?? guessDelimiter(firstLine),
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
      // Untyped in csv-parse 5's declarations but implemented: called for each row it skips.
      on_skip: (error: Error) => skipped.push(error.message),
    } as Parameters<typeof parseCsv>[1]);
  } catch (error) {
    throw new IngestError('corrupt', `The CSV file cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (rows.length === 0 && skipped.length > 0) {
    throw new IngestError('corrupt', `The CSV file cannot be read: ${skipped[0]}`);
  }
  for (const message of skipped) warnings.push(`A CSV row was skipped: ${message}`);
  const records = rows.map(({ record, info }, index) => {
    if (info.error)
      warnings.push(`CSV line ${info.lines}: the row has a different number of fields than the header`);
    return { fields: record, number: index + 1, line: info.lines };
  });
  return { records, warnings };
}

function guessDelimiter(header: string): string {
  const counts = [',', ';', '\t', '|'].map(
    (candidate) => [candidate, header.split(candidate).length] as const,
  );
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** Header names made unique and non-empty, so no column silently overwrites another. */
function uniqueColumns(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, index) => {
    const name = raw.trim() || `column_${index + 1}`;
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count + 1}`;
  });
}

/** Reads JSON: an array of objects, an object holding one array of them, one object, or JSON Lines. */
export function readJsonRecords(text: string, jsonLines: boolean): RecordBatch {
  if (jsonLines) return readJsonLines(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (looksLikeJsonLines(text)) return readJsonLines(text);
    const { line, column } = positionOf(text, Math.max(0, locateJsonError(text)));
    throw new IngestError(
      'corrupt',
      `The JSON is invalid at line ${line}, column ${column}: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
  const warnings: string[] = [];
  const items = recordArray(value, warnings);
  const records: SourceRecord[] = [];
  items.forEach((item, index) => {
    if (isPlainObject(item)) records.push({ fields: item, number: index + 1 });
    else warnings.push(`Record ${index + 1} is not an object (${describe(item)}); skipped`);
  });
  return { records, warnings };
}

function recordArray(value: unknown, warnings: string[]): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (!isPlainObject(value)) {
    throw new IngestError('corrupt', `The JSON holds ${describe(value)}, not records (an array of objects)`);
  }
  const arrays = Object.entries(value).filter(([, field]) => Array.isArray(field));
  if (arrays.length === 1) {
    const [name, array] = arrays[0]!;
    warnings.push(`Read the records from the "${name}" array`);
    return array as unknown[];
  }
  return [value];
}

function readJsonLines(text: string): RecordBatch {
  const records: SourceRecord[] = [];
  const warnings: string[] = [];
  let firstError: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    try {
      const value: unknown = JSON.parse(line);
      if (isPlainObject(value)) records.push({ fields: value, number: records.length + 1, line: index + 1 });
      else warnings.push(`Line ${index + 1} is not an object (${describe(value)}); skipped`);
    } catch (error) {
      const column = Math.max(0, locateJsonError(line)) + 1;
      const message = `Line ${index + 1}, column ${column}: invalid JSON (${(error as Error).message.split('\n')[0]}); skipped`;
      firstError ??= message;
      warnings.push(message);
    }
  });
  if (records.length === 0 && firstError) {
    throw new IngestError('corrupt', `The JSON Lines file has no readable record. ${firstError}`);
  }
  return { records, warnings };
}

/** Two or more lines, the first of them a complete JSON object. */
function looksLikeJsonLines(text: string): boolean {
  const lines = text.trim().split('\n');
  if (lines.length < 2) return false;
  try {
    return isPlainObject(JSON.parse(lines[0]!));
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
