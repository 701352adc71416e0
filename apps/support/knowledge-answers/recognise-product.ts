/**
 * @module support/knowledge-answers/recognise-product
 * Which product a question is about, from the catalogue: a model number (with or without its dash,
 * or just its suffix, `C4X`), an identifier of the name (`BE9300`), the product line (`Nova`), the
 * kind of device (`thermostat`, the last word of a name or manual title) and other words of its name,
 * each tolerating one typo (`novva`, `lumin`, `doorbel`) or a short form (`cam`). The best-scoring
 * products win; when they are covered by different manuals the question is ambiguous, and when only
 * one of them has a manual, that manual answers.
 */
import type { CatalogueProduct } from './catalogue.ts';

/** What a question is about. */
export type ProductMatch =
  | { readonly kind: 'product'; readonly product: CatalogueProduct }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly CatalogueProduct[] }
  | { readonly kind: 'none' };

const IDENTIFIER_WEIGHT = 4;
const LINE_WEIGHT = 2;
const KIND_WEIGHT = 1;
const WORD_WEIGHT = 0.5;
/** Words of names that say nothing about which product it is. */
const GENERIC = new Set([
  'wi-fi',
  'wi',
  'fi',
  'smart',
  'and',
  'or',
  'with',
  'the',
  'of',
  'for',
  'add-on',
  '2nd',
  'generation',
  'nodes',
  'node',
]);

/** Recognises the product a question names. */
export function recogniseProduct(question: string, catalogue: readonly CatalogueProduct[]): ProductMatch {
  const tokens = question
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .flatMap((token) => [token, ...token.split('-')])
    .filter((token) => token.length > 1);
  const compact = question.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const scored = catalogue.map((product) => ({ product, score: score(product, tokens, compact) }));
  const best = Math.max(0, ...scored.map((entry) => entry.score));
  if (best === 0) return { kind: 'none' };
  const top = scored.filter((entry) => entry.score >= best - 1e-9).map((entry) => entry.product);
  const withManual = top.filter((product) => product.manual);
  const manuals = new Set(withManual.map((product) => product.manual));
  if (manuals.size === 1) return { kind: 'product', product: withManual[0]! };
  if (manuals.size === 0)
    return top.length === 1 ? { kind: 'product', product: top[0]! } : { kind: 'ambiguous', candidates: top };
  return { kind: 'ambiguous', candidates: top };
}

function score(product: CatalogueProduct, tokens: readonly string[], compact: string): number {
  const model = product.model.toLowerCase();
  const suffix = model.split('-').slice(1).join('');
  if (compact.includes(model.replaceAll('-', ''))) return IDENTIFIER_WEIGHT * 2;
  if (/\d/.test(suffix) && /\p{L}/u.test(suffix) && tokens.includes(suffix)) return IDENTIFIER_WEIGHT * 2;
  const line = product.name.toLowerCase().split(' ')[0];
  let total = 0;
  for (const word of product.words) {
    if (GENERIC.has(word) || !tokens.some((token) => resembles(token, word))) continue;
    if (/\d/.test(word) && /\p{L}/u.test(word)) total += IDENTIFIER_WEIGHT;
    else if (word === line) total += LINE_WEIGHT;
    else if (product.kinds.includes(word)) total += KIND_WEIGHT;
    else if (!/^\d+$/.test(word)) total += WORD_WEIGHT;
  }
  return total;
}

/** Equal, a plural, a short form (`cam`) or one edit away for words of four letters or more. */
function resembles(token: string, word: string): boolean {
  if (token === word || token === `${word}s` || `${token}s` === word) return true;
  if (token.length >= 3 && word.startsWith(token) && word.length - token.length <= 3 && !/\d/.test(word))
    return true;
  return token.length >= 4 && word.length >= 4 && !/\d/.test(word) && editDistanceAtMostOne(token, word);
}

/** Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap). */
export function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
