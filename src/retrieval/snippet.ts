/**
 * @module retrieval/snippet
 * A short excerpt of a chunk around the first place that matches the query, cut at word boundaries.
 */

/** Returns at most `width` characters of `text` around the first query word found in it. */
export function makeSnippet(text: string, query: string, width = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  const lower = flat.toLowerCase();
  let hit = -1;
  for (const word of query.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 3) continue;
    const at = lower.indexOf(word);
    if (at >= 0 && (hit < 0 || at < hit)) hit = at;
  }
  let start = hit < 0 ? 0 : Math.max(0, hit - Math.floor(width / 3));
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < start + 20 ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + width);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    end = space > start ? space : end;
  }
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}
