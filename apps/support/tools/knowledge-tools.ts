/**
 * @module support/tools/knowledge-tools
 * `search_faq` and `search_manuals`: retrieval over the help centre, restricted to the right documents
 * by metadata, returning numbered passages with citations. One search runs per filter (FAQ and
 * policies are two categories) and the results are merged by fused score.
 */
import { z } from 'zod';
import type { AgentTool } from '../../../src/spec/agents.ts';
import type { RetrievalFilters, RetrievalQuery, RetrievalResult } from '../../../src/spec/retrieval.ts';
import { type CatalogueProduct, defaultCatalogue } from '../knowledge-answers/catalogue.ts';
import { recogniseProduct } from '../knowledge-answers/recognise-product.ts';

/** The retrieval port the tools need (the product's `Retriever` fits). */
export interface SearchPort {
  search(query: RetrievalQuery): Promise<RetrievalResult>;
}

/** A passage with where it came from. */
export interface CitedPassage {
  readonly n: number;
  readonly text: string;
  readonly title: string | null;
  readonly source: string;
  readonly headingPath: readonly string[];
  readonly page: number | null;
}

const input = z.object({ query: z.string().min(1).max(1000) });

/** The input of the search tools. */
export type SearchInput = z.infer<typeof input>;

/** FAQ answers and policies. */
export const FAQ_FILTERS: readonly RetrievalFilters[] = [
  { metadata: { category: 'faq' } },
  { metadata: { category: 'policy' } },
  { metadata: { category: 'catalogue' } },
];

/** Product manuals, in Markdown or as the generated PDFs. */
export const MANUAL_FILTERS: readonly RetrievalFilters[] = [
  { metadata: { category: 'manual' } },
  { metadata: { subject: 'Brightwave Home product manual' } },
];

/** Runs one search per filter and merges the results by fused score. */
async function searchAll(
  retriever: SearchPort,
  tenantId: string,
  query: string,
  filters: readonly RetrievalFilters[],
  limit: number,
): Promise<CitedPassage[]> {
  const results = await Promise.all(
    filters.map((filter) => retriever.search({ tenantId, text: query, filters: filter, limit })),
  );
  const seen = new Set<number>();
  return results
    .flatMap((result) => result.chunks)
    .sort((a, b) => b.scores.fused - a.scores.fused)
    .filter((chunk) => !seen.has(chunk.chunkId) && seen.add(chunk.chunkId))
    .slice(0, limit)
    .map((chunk, index) => ({
      n: index + 1,
      text: chunk.text,
      title: chunk.title,
      source: chunk.originUri,
      headingPath: chunk.headingPath,
      page: chunk.page,
    }));
}

/** Creates a search tool over the documents the filters select. */
export function createSearchTool(options: {
  readonly name: string;
  readonly description: string;
  readonly retriever: SearchPort;
  readonly filters: readonly RetrievalFilters[];
  readonly limit?: number;
}): AgentTool<SearchInput, { passages: CitedPassage[] }> {
  const limit = options.limit ?? 4;
  return {
    name: options.name,
    description: options.description,
    inputSchema: input,
    async execute({ query }, context) {
      return {
        passages: await searchAll(options.retriever, context.tenantId, query, options.filters, limit),
      };
    },
  };
}

/** `search_faq` over the FAQ, policies and catalogue. */
export function createSearchFaqTool(
  retriever: SearchPort,
): AgentTool<SearchInput, { passages: CitedPassage[] }> {
  return createSearchTool({
    name: 'search_faq',
    description:
      'Searches the FAQ, the shipping, returns, warranty and privacy policies and the product catalogue.',
    retriever,
    filters: FAQ_FILTERS,
  });
}

/** The input of `search_manuals`: a query and, optionally, the product whose manual to search. */
const manualsInput = input.extend({
  product: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('The product the question is about: its model number (NOVA-R7) or name (Nova router).'),
});

/** What `search_manuals` returns: passages, and a note when the product was unknown or ambiguous. */
export interface ManualSearchOutput {
  passages: CitedPassage[];
  /** The model number of the manual searched, when a product was given. */
  product?: string;
  note?: string;
}

/** The filters that select one product's manual, in Markdown (`product`) or as PDF (`keywords`). */
export function manualFilters(model: string): RetrievalFilters[] {
  return [
    { metadata: { category: 'manual', product: model } },
    { metadata: { subject: 'Brightwave Home product manual', keywords: model } },
  ];
}

/**
 * `search_manuals` over the product manuals; with `product`, only that product's manual (a metadata
 * filter). A product the catalogue does not know, one without a manual, or a name that fits products
 * of several manuals returns no passages and a note saying which products there are.
 */
export function createSearchManualsTool(
  retriever: SearchPort,
  catalogue: () => Promise<readonly CatalogueProduct[]> = defaultCatalogue,
): AgentTool<z.infer<typeof manualsInput>, ManualSearchOutput> {
  return {
    name: 'search_manuals',
    description:
      "Searches the product manuals: setup, status lights, error codes and troubleshooting steps. Pass `product` (model number or name) to search only that product's manual.",
    inputSchema: manualsInput,
    async execute({ query, product }, context) {
      if (!product)
        return { passages: await searchAll(retriever, context.tenantId, query, MANUAL_FILTERS, 4) };
      const products = await catalogue();
      const match = recogniseProduct(product, products);
      const names = (list: readonly CatalogueProduct[]) =>
        list.map((item) => `${item.name} (${item.model})`).join(', ');
      if (match.kind === 'none')
        return {
          passages: [],
          note: `No product called "${product}". Products with manuals: ${names(products.filter((item) => item.manual === item.model))}.`,
        };
      if (match.kind === 'ambiguous')
        return {
          passages: [],
          note: `"${product}" fits several products: ${names(match.candidates)}. Ask which one.`,
        };
      const model = match.product.manual;
      if (!model)
        return {
          passages: [],
          note: `There is no manual for the ${match.product.name} (${match.product.model}).`,
        };
      const passages = await searchAll(retriever, context.tenantId, query, manualFilters(model), 4);
      return { passages, product: model };
    },
  };
}
