/**
 * @module retrieval/search-engine/metadata-tokens
 * Document metadata as keyword tokens, so a JSON containment filter (`metadata @> {…}` in Postgres)
 * becomes "the chunk has every token of the filter" inside the engine's query. A token is a path to a
 * scalar with its JSON type (`a.b=s:x`, `n:1`, `b:true`, `z:` for null), array elements marked `[]`,
 * plus a marker per object (`a=o`) and array (`a=a`) so empty containers in a filter match as jsonb
 * does. This is exactly jsonb containment except for one shape: a filter array holding an object or
 * an array (`{"a":[{"b":1,"c":2}]}` must match within ONE element), which {@link filterTokens}
 * reports as not expressible; the adapter then resolves that filter in Postgres.
 */

const SEPARATOR = '\u001f';

function scalarToken(path: string, value: unknown): string {
  if (value === null) return `${path}=z:`;
  if (typeof value === 'string') return `${path}=s:${value}`;
  if (typeof value === 'number') return `${path}=n:${String(value)}`;
  if (typeof value === 'boolean') return `${path}=b:${String(value)}`;
  return `${path}=s:${String(value)}`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}${SEPARATOR}${key}`;
}

/** Every token of a document's metadata (index side). */
export function metadataTokens(metadata: unknown): string[] {
  const tokens = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      tokens.add(`${path}=a`);
      for (const element of value) walk(element, join(path, '[]'));
    } else if (value !== null && typeof value === 'object') {
      tokens.add(`${path}=o`);
      for (const [key, child] of Object.entries(value)) walk(child, join(path, key));
    } else {
      tokens.add(scalarToken(path, value));
    }
  };
  walk(metadata, '');
  return [...tokens];
}

/**
 * The tokens a chunk must all have to match a containment filter, or `undefined` when the filter
 * holds an array with an object or array inside (not expressible as independent tokens).
 */
export function filterTokens(filter: Readonly<Record<string, unknown>>): string[] | undefined {
  const tokens = new Set<string>();
  let expressible = true;
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      tokens.add(`${path}=a`);
      for (const element of value) {
        if (element !== null && typeof element === 'object') expressible = false;
        else tokens.add(scalarToken(join(path, '[]'), element));
      }
    } else if (value !== null && typeof value === 'object') {
      tokens.add(`${path}=o`);
      for (const [key, child] of Object.entries(value)) walk(child, join(path, key));
    } else {
      tokens.add(scalarToken(path, value));
    }
  };
  walk(filter, '');
  return expressible ? [...tokens] : undefined;
}
