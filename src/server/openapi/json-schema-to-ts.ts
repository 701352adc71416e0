/**
 * @module server/openapi/json-schema-to-ts
 * Writes a JSON Schema (as `z.toJSONSchema` makes it from the routes' schemas) as a TypeScript type,
 * for the web UI's generated API types. It covers what our schemas use — objects, arrays, tuples,
 * records, unions, enums, constants, nullables, `$defs` references — and writes `unknown` for
 * anything else, so an unusual schema loses precision, never correctness.
 */

/** A JSON Schema node, loosely typed: the generator reads what it knows and ignores the rest. */
export type JsonSchemaNode = Readonly<Record<string, unknown>>;

/** The type `schema` describes, as TypeScript source; nested objects are indented from `indent`. */
export function jsonSchemaToTs(schema: JsonSchemaNode, indent = ''): string {
  const defs = (schema.$defs ?? schema.definitions ?? {}) as Readonly<Record<string, JsonSchemaNode>>;
  return write(schema, indent, defs, new Set());
}

function write(
  node: JsonSchemaNode | boolean | undefined,
  indent: string,
  defs: Readonly<Record<string, JsonSchemaNode>>,
  seen: ReadonlySet<string>,
): string {
  if (node === undefined || node === true) return 'unknown';
  if (node === false) return 'never';
  const recur = (child: unknown, at = indent) => write(child as JsonSchemaNode, at, defs, seen);
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    const target = defs[name];
    // A recursive schema would expand forever: its inner occurrence is left open.
    if (!target || seen.has(name)) return 'unknown';
    return write(target, indent, defs, new Set([...seen, name]));
  }
  if ('const' in node) return literal(node.const);
  if (Array.isArray(node.enum)) return union(node.enum.map(literal));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = node[key];
    if (Array.isArray(options)) return union(options.map((option) => recur(option)));
  }
  if (Array.isArray(node.allOf)) return node.allOf.map((part) => wrap(recur(part))).join(' & ') || 'unknown';
  const type = node.type;
  if (Array.isArray(type)) return union(type.map((one) => recur({ ...node, type: one })));
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(node.prefixItems)) {
        return `readonly [${node.prefixItems.map((item) => recur(item)).join(', ')}]`;
      }
      return `readonly ${wrap(recur(node.items))}[]`;
    }
    case 'object':
      return object(node, indent, recur);
    default:
      return node.properties ? object(node, indent, recur) : 'unknown';
  }
}

function object(
  node: JsonSchemaNode,
  indent: string,
  recur: (child: unknown, at?: string) => string,
): string {
  const properties = (node.properties ?? {}) as Readonly<Record<string, unknown>>;
  const required = new Set((node.required ?? []) as readonly string[]);
  const inner = `${indent}  `;
  const lines = Object.entries(properties).map(
    ([name, child]) =>
      `${inner}readonly ${propertyName(name)}${required.has(name) ? '' : '?'}: ${recur(child, inner)};`,
  );
  const extra = node.additionalProperties;
  if (extra !== undefined && extra !== false) {
    lines.push(`${inner}readonly [key: string]: ${extra === true ? 'unknown' : recur(extra, inner)};`);
  }
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? quote(value) : value === null ? 'null' : JSON.stringify(value);
}

/** A single-quoted string literal, as the code base writes them. */
function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}

function union(parts: readonly string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return 'unknown';
  // A union inside a union needs no parentheses; an intersection or a readonly array does.
  return unique.length === 0
    ? 'never'
    : unique.map((part) => (topLevelOperators(part).has('|') ? part : wrap(part))).join(' | ');
}

/** Parenthesises a union, an intersection or a readonly array used inside an array or a union. */
function wrap(type: string): string {
  const operators = topLevelOperators(type);
  return operators.size > 0 || type.startsWith('readonly ') ? `(${type})` : type;
}

/** The `|` and `&` of a type outside its braces, brackets, parentheses and string literals. */
function topLevelOperators(type: string): Set<string> {
  const operators = new Set<string>();
  let depth = 0;
  let quoted = false;
  let escaped = false;
  for (const char of type) {
    if (quoted) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === "'") quoted = false;
      continue;
    }
    if (char === "'") quoted = true;
    else if ('{[(<'.includes(char)) depth++;
    else if ('}])>'.includes(char)) depth--;
    else if (depth === 0 && (char === '|' || char === '&')) operators.add(char);
  }
  return operators;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}
