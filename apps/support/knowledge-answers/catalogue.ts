/**
 * @module support/knowledge-answers/catalogue
 * The products the help centre knows, read from the catalogue (`catalogue/products.md`: the model
 * table and one section per product line) and the manuals' front matter: each product's model number,
 * name, the words customers call it by, and the manual that covers it. A product without a manual of
 * its own is covered by the manual of a product in the same catalogue section (the Aurora satellite by
 * the Aurora Mesh manual); one in a section of its own without a manual has none.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const KNOWLEDGE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'knowledge');
let loaded: Promise<CatalogueProduct[]> | undefined;

/** The app's own catalogue, read once (a failed read is retried on the next call). */
export function defaultCatalogue(): Promise<CatalogueProduct[]> {
  loaded ??= loadCatalogue(KNOWLEDGE).catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

/** One product of the catalogue. */
export interface CatalogueProduct {
  /** The model number, e.g. `NOVA-R7`. */
  readonly model: string;
  /** The catalogue name, e.g. `Nova BE9300 Wi-Fi 7 router`. */
  readonly name: string;
  /** The model number of the manual that covers it (the manuals' `product` metadata), if any. */
  readonly manual?: string;
  /** The manual's title, if any. */
  readonly manualTitle?: string;
  /** Words of its name, section heading and manual title, lower case. */
  readonly words: readonly string[];
  /** The kind of device: the last word of its name, section heading and manual title (`router`). */
  readonly kinds: readonly string[];
}

/** Parses the catalogue and the manuals' front matter under a knowledge folder. */
export async function loadCatalogue(knowledgeDir: string): Promise<CatalogueProduct[]> {
  const catalogue = await readFile(path.join(knowledgeDir, 'catalogue', 'products.md'), 'utf8');
  const manuals = await manualFrontMatter(path.join(knowledgeDir, 'manuals'));
  const rows = [...catalogue.matchAll(/^\|\s*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s*\|\s*([^|]+?)\s*\|/gm)].map(
    (match) => ({
      model: match[1]!,
      name: match[2]!
        .split(/[,:]/)[0]!
        .replace(/\s*\(.*?\)/g, '')
        .trim(),
    }),
  );
  const sections = catalogue
    .split(/\n(?=## )/)
    .slice(1)
    .map((section) => {
      const [heading = '', ...body] = section.split('\n');
      const named = (heading.match(/\(([^)]*)\)/)?.[1] ?? '').split(/,\s*/).filter(Boolean);
      const mentioned: string[] = body.join(' ').match(/\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b/g) ?? [];
      return { heading: heading.replace(/^## /, '').replace(/\s*\(.*$/, ''), named, mentioned };
    });
  const ownSection = new Set(sections.flatMap((section) => section.named));
  return rows.map(({ model, name }) => {
    const section = sections.find(
      (candidate) =>
        candidate.named.includes(model) || (!ownSection.has(model) && candidate.mentioned.includes(model)),
    );
    const family = section ? [...section.named, ...section.mentioned] : [model];
    const manual =
      manuals.find((candidate) => candidate.product === model) ??
      manuals.find((candidate) => family.includes(candidate.product));
    const names = [name, section?.heading ?? '', manual?.title.replace(/\s*\bmanual\b/i, '') ?? ''];
    const split = (text: string) =>
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}-]+/u)
        .filter((word) => word.length > 1);
    const kinds = names.map((text) => singular(split(text).at(-1) ?? '')).filter(Boolean);
    return {
      model,
      name,
      ...(manual ? { manual: manual.product, manualTitle: manual.title } : {}),
      words: [...new Set(names.flatMap(split).map(singular))],
      kinds: [...new Set(kinds)],
    };
  });
}

function singular(word: string): string {
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

async function manualFrontMatter(directory: string): Promise<{ product: string; title: string }[]> {
  const found: { product: string; title: string }[] = [];
  for (const file of (await readdir(directory)).filter((name) => name.endsWith('.md')).sort()) {
    const front = /^---\n([\s\S]*?)\n---/.exec(await readFile(path.join(directory, file), 'utf8'))?.[1] ?? '';
    const field = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(front)?.[1]?.trim();
    const product = field('product');
    if (product) found.push({ product, title: field('title') ?? product });
  }
  return found;
}
