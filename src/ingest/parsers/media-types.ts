/**
 * @module ingest/parsers/media-types
 * The media types the parsers accept, and the file extensions that map onto them.
 */

/** Media types understood by the built-in parsers. */
export const MEDIA_TYPE = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  jsonLines: 'application/x-ndjson',
} as const;

/** One of the supported media types. */
export type SupportedMediaType = (typeof MEDIA_TYPE)[keyof typeof MEDIA_TYPE];

/** Lower-case extension (without the dot) to media type. */
export const EXTENSION_MEDIA_TYPES: Readonly<Record<string, SupportedMediaType>> = {
  pdf: MEDIA_TYPE.pdf,
  docx: MEDIA_TYPE.docx,
  html: MEDIA_TYPE.html,
  htm: MEDIA_TYPE.html,
  xhtml: MEDIA_TYPE.html,
  md: MEDIA_TYPE.markdown,
  markdown: MEDIA_TYPE.markdown,
  mdown: MEDIA_TYPE.markdown,
  txt: MEDIA_TYPE.text,
  text: MEDIA_TYPE.text,
  csv: MEDIA_TYPE.csv,
  tsv: MEDIA_TYPE.tsv,
  json: MEDIA_TYPE.json,
  jsonl: MEDIA_TYPE.jsonLines,
  ndjson: MEDIA_TYPE.jsonLines,
};

/** Declared HTTP content types (without parameters) that we accept, including common aliases. */
export const DECLARED_MEDIA_TYPES: Readonly<Record<string, SupportedMediaType>> = {
  ...Object.fromEntries(Object.values(MEDIA_TYPE).map((type) => [type, type])),
  'application/xhtml+xml': MEDIA_TYPE.html,
  'text/x-markdown': MEDIA_TYPE.markdown,
  'application/csv': MEDIA_TYPE.csv,
  'text/json': MEDIA_TYPE.json,
  'application/jsonl': MEDIA_TYPE.jsonLines,
  'application/jsonlines': MEDIA_TYPE.jsonLines,
  'application/x-jsonlines': MEDIA_TYPE.jsonLines,
};

/** Media types whose content is text; detection checks that the bytes really look like text. */
export const TEXT_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MEDIA_TYPE.html,
  MEDIA_TYPE.markdown,
  MEDIA_TYPE.text,
  MEDIA_TYPE.csv,
  MEDIA_TYPE.tsv,
  MEDIA_TYPE.json,
  MEDIA_TYPE.jsonLines,
]);
