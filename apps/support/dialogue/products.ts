/**
 * @module support/dialogue/products
 * Which catalogue product a message is about, tolerant of typos: each word is compared with the
 * catalogue's vocabulary (family names such as Nova or Lumen, kinds such as thermostat or router) by
 * edit distance, and a misspelt word is replaced by the catalogue's spelling, so the search that
 * follows looks for the right words.
 */
import { PRODUCTS, type Product } from '../store/catalogue.ts';

/** Family names and product kinds, as the catalogue spells them. */
const VOCABULARY = [
  'aurora',
  'nova',
  'lumen',
  'halo',
  'beacon',
  'spark',
  'router',
  'mesh',
  'satellite',
  'extender',
  'thermostat',
  'sensor',
  'camera',
  'doorbell',
  'plug',
  'outdoor',
  'indoor',
] as const;

/** Optimal string alignment distance (a swap of two letters is one edit). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The catalogue word a customer's word stands for, if it is one (or close enough). */
function canonical(word: string): string | undefined {
  const lower = word.toLowerCase();
  if ((VOCABULARY as readonly string[]).includes(lower)) return lower;
  // Short words are too often other words one letter away (plus, spare, mess).
  if (lower.length < 5) return undefined;
  const allowed = lower.length >= 8 ? 2 : 1;
  let best: { term: string; d: number } | undefined;
  for (const term of VOCABULARY) {
    if (term.length < 6 || Math.abs(term.length - lower.length) > allowed) continue;
    const d = distance(lower, term);
    if (d <= allowed && (!best || d < best.d)) best = { term, d };
  }
  return best?.term;
}

/** What a message says about products. */
export interface ProductMention {
  /** The message with misspelt catalogue words corrected. */
  readonly text: string;
  /** The product it names, most specific first (a model beats a family). */
  readonly product?: Product;
}

/** Finds the product a message names and corrects catalogue words spelt wrong. */
export function mentionedProduct(text: string): ProductMention {
  const words = new Set<string>();
  const corrected = text.replace(/\p{L}+/gu, (word) => {
    const term = canonical(word);
    if (!term) return word;
    words.add(term);
    return term === word.toLowerCase() ? word : term;
  });
  const compact = corrected.toLowerCase().replace(/[\s-]+/g, '');
  const byModel = PRODUCTS.find((product) => compact.includes(product.model.toLowerCase().replace(/-/g, '')));
  if (byModel) return { text: corrected, product: byModel };
  const scored = PRODUCTS.map((product) => {
    const name = product.name.toLowerCase();
    const family = words.has(name.split(' ')[0] ?? '') ? 2 : 0;
    const kind = [...words].filter((word) => name.includes(word)).length;
    return { product, score: family + kind };
  }).sort((a, b) => b.score - a.score);
  const top = scored[0];
  return top && top.score >= 2 ? { text: corrected, product: top.product } : { text: corrected };
}
