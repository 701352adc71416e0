/**
 * @module ingest/parsers/front-matter
 * A small reader for the YAML-ish front matter of Markdown files: flat `key: value` lines, inline
 * `[a, b]` lists and `- item` lists. Nested mappings are skipped rather than misread.
 */

/** The front matter's fields and the Markdown after it. */
export interface FrontMatter {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly body: string;
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Splits front matter (between `---` fences at the very top) from the body. */
export function readFrontMatter(source: string): FrontMatter {
  const match = FENCE.exec(source);
  if (!match) return { fields: {}, body: source };
  const fields: Record<string, unknown> = {};
  let listKey: string | undefined;
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (fields[listKey] as unknown[]).push(scalar(item[1] ?? ''));
      continue;
    }
    const pair = /^([A-Za-z_][\w.-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) continue;
    const key = pair[1]!;
    const value = (pair[2] ?? '').trim();
    listKey = undefined;
    if (value === '') {
      fields[key] = [];
      listKey = key;
    } else if (value.startsWith('[') && value.endsWith(']')) {
      fields[key] = splitInlineList(value.slice(1, -1)).map(scalar);
    } else {
      fields[key] = scalar(value);
    }
  }
  // A key with neither a value nor list items was a nested mapping or empty: leave it out.
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value) && value.length === 0) delete fields[key];
  }
  return { fields, body: source.slice(match[0].length) };
}

function splitInlineList(inner: string): string[] {
  return (inner.match(/"[^"]*"|'[^']*'|[^,]+/g) ?? []).map((part) => part.trim()).filter(Boolean);
}

function scalar(raw: string): unknown {
  const value = raw.replace(/\s+#.*$/, '').trim();
  if (/^".*"$/.test(value) || /^'.*'$/.test(value)) return value.slice(1, -1);
  if (value === 'true' || value === 'false') return value === 'true';
  if (value === 'null' || value === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(value) && value.length < 16) return Number(value);
  return value;
}
