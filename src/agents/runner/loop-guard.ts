/**
 * @module agents/runner/loop-guard
 * Loop detection: a model that calls the same tool with the same arguments again and again is stuck,
 * and more steps only burn tokens. Arguments are compared as canonical JSON, so key order does not
 * hide a repeat.
 */

/** The key a call is counted under. */
export function callKey(toolName: string, input: unknown): string {
  return `${toolName}:${canonicalJson(input)}`;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
