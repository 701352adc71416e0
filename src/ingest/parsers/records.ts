/**
 * @module ingest/parsers/records
 * CSV and JSON records: one document per record, keyed by its id (or row number), with a title,
 * text from the chosen fields, and the scalar fields as metadata.
 */
import { IngestError } from '../../errors.ts';
import type { Block, ParsedDocument, ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput, ParserOptions } from '../../spec/parser.ts';
import { decodeText } from './decode-text.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { readCsvRecords, readJsonRecords, type SourceRecord } from './record-readers.ts';

/** Field mapping for records; see `ParserOptions.records`. */
export type RecordMapping = NonNullable<ParserOptions['records']>;

const DEFAULT_ID_FIELDS = ['id', '_id'];
const DEFAULT_TITLE_FIELDS = ['title', 'name'];
/** Strings longer than this that already are the document's text are not copied into metadata. */
const MAX_METADATA_TEXT = 1000;
const MAX_WARNINGS = 50;

/**
 * Turns records into documents. Keys come from `idField`, else `id`/`_id`, else the record
 * number; duplicates get the record number appended (with a warning). Text comes from
 * `textFields`, else from every string field except the id and title; when several fields
 * contribute, each paragraph is labelled `field: value`.
 */
export function recordsToDocuments(
  records: readonly SourceRecord[],
  mapping: RecordMapping = {},
  warnings: string[] = [],
): ParsedDocument[] {
  const documents: ParsedDocument[] = [];
  const keys = new Set<string>();
  for (const record of records) {
    const where =
      record.line === undefined ? `Record ${record.number}` : `Record ${record.number} (line ${record.line})`;
    const idField = mapping.idField ?? DEFAULT_ID_FIELDS.find((field) => isKey(record.fields[field]));
    const titleField =
      mapping.titleField ?? DEFAULT_TITLE_FIELDS.find((field) => isText(record.fields[field]));
    const textFields = mapping.textFields ?? defaultTextFields(record.fields, idField, titleField);
    const blocks = textBlocks(record.fields, textFields);
    if (blocks.length === 0) {
      warnings.push(
        `${where} has no text in ${textFields.length ? textFields.join(', ') : 'any string field'}; skipped`,
      );
      continue;
    }
    let key =
      idField !== undefined && isKey(record.fields[idField]) ? String(record.fields[idField]) : undefined;
    if (mapping.idField && key === undefined)
      warnings.push(`${where} has no "${mapping.idField}"; keyed by its number`);
    key ??= String(record.number);
    if (keys.has(key)) {
      warnings.push(`${where} repeats the id "${key}"; keyed as "${key}-${record.number}"`);
      key = `${key}-${record.number}`;
    }
    const titleValue = titleField === undefined ? undefined : record.fields[titleField];
    const title =
      isText(titleValue) || typeof titleValue === 'number' ? String(titleValue).trim() : undefined;
    keys.add(key);
    documents.push({ key, title, blocks, metadata: scalarMetadata(record.fields, new Set(textFields)) });
  }
  return documents;
}

function defaultTextFields(
  fields: Readonly<Record<string, unknown>>,
  idField?: string,
  titleField?: string,
): string[] {
  const names = Object.keys(fields).filter((name) => name !== idField && isText(fields[name]));
  const body = names.filter((name) => name !== titleField);
  // A record whose only text is its title (e.g. `{ id, name }`) is still worth a document.
  return body.length > 0 ? body : names;
}

function textBlocks(fields: Readonly<Record<string, unknown>>, names: readonly string[]): Block[] {
  const values = names
    .map((name) => [name, stringify(fields[name])] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1].trim() !== '');
  const labelled = values.length > 1;
  return values.map(([name, value]) => ({
    kind: 'paragraph',
    text: labelled ? `${name}: ${value.trim()}` : value.trim(),
  }));
}

function stringify(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return undefined;
}

function scalarMetadata(
  fields: Readonly<Record<string, unknown>>,
  textFields: ReadonlySet<string>,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
    if (!scalar) continue;
    if (typeof value === 'string' && value.length > MAX_METADATA_TEXT && textFields.has(name)) continue;
    metadata[name] = value;
  }
  return metadata;
}

function isKey(value: unknown): boolean {
  return (
    (typeof value === 'string' && value.trim() !== '') ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Parses CSV/TSV (header row) and JSON/JSON Lines into one document per record. */
export class RecordsParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'records';
  readonly mediaTypes = [MEDIA_TYPE.csv, MEDIA_TYPE.tsv, MEDIA_TYPE.json, MEDIA_TYPE.jsonLines];

  async parse(input: ParserInput): Promise<ParseResult> {
    const decoded = decodeText(input.bytes);
    const warnings = decoded.warning ? [decoded.warning] : [];
    const batch =
      input.mediaType === MEDIA_TYPE.csv || input.mediaType === MEDIA_TYPE.tsv
        ? readCsvRecords(decoded.text, input.mediaType === MEDIA_TYPE.tsv ? '\t' : undefined)
        : readJsonRecords(decoded.text, input.mediaType === MEDIA_TYPE.jsonLines);
    warnings.push(...batch.warnings);
    const documents = recordsToDocuments(batch.records, input.options?.records, warnings);
    if (documents.length === 0) {
      throw new IngestError('no_text', `No record has any text${warnings.length ? ` (${warnings[0]})` : ''}`);
    }
    return { documents, warnings: capWarnings(warnings) };
  }
}

/** Keeps a report readable when thousands of rows are bad. */
function capWarnings(warnings: string[]): string[] {
  if (warnings.length <= MAX_WARNINGS) return warnings;
  return [...warnings.slice(0, MAX_WARNINGS), `… and ${warnings.length - MAX_WARNINGS} more warnings`];
}

/** Creates the CSV/JSON records parser. */
export function createRecordsParser(): DocumentParser {
  return new RecordsParser();
}
