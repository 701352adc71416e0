/**
 * @module config/layers
 * The one merge of configuration layers: defaults < environment < config file < explicit values
 * (command-line flags, code). Objects merge key by key at every depth, so a layer changes only the
 * keys it names; anything else (a list, a number, a string) is replaced whole by the later layer.
 */

/** Keys whose object values are single settings, replaced whole rather than merged key by key. */
const REPLACED_WHOLE = new Set(['prices', 'budgets']);

/** `layers` merged left to right: a later layer wins, key by key. */
export function mergeLayers(...layers: readonly Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) mergeInto(merged, layer, 0);
  return merged;
}

function mergeInto(target: Record<string, unknown>, layer: Record<string, unknown>, depth: number): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const current = target[key];
    const whole = depth === 0 && REPLACED_WHOLE.has(key);
    if (!whole && isPlainObject(value) && isPlainObject(current)) {
      const copy = { ...current };
      mergeInto(copy, value, depth + 1);
      target[key] = copy;
    } else {
      target[key] = isPlainObject(value) && !whole ? mergeLayers(value) : value;
    }
  }
}

/** A JSON object (not a list, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
