/**
 * @module support/tools/knowledge-tools
 * `search_faq` and `search_manuals`: retrieval over the help centre, restricted to the right documents
 * by metadata, returning numbered passages with citations. One search runs per filter (FAQ and
 * policies are two categories) and the results are merged by fused score.
 */
import { z } from 'zod';
import type { AgentTool } from '../../../src/spec/agents.ts';
import type { RetrievalFilters, RetrievalQuery, RetrievalResult } from '../../../src/spec/retrieval.ts';

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
      const results = await Promise.all(
        options.filters.map((filters) =>
          options.retriever.search({ tenantId: context.tenantId, text: query, filters, limit }),
        ),
      );
      const seen = new Set<number>();
      const chunks = results
        .flatMap((result) => result.chunks)
        .sort((a, b) => b.scores.fused - a.scores.fused)
        .filter((chunk) => !seen.has(chunk.chunkId) && seen.add(chunk.chunkId))
        .slice(0, limit);
      return {
        passages: chunks.map((chunk, index) => ({
          n: index + 1,
          text: chunk.text,
          title: chunk.title,
          source: chunk.originUri,
          headingPath: chunk.headingPath,
          page: chunk.page,
        })),
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

/** `search_manuals` over the product manuals. */
export function createSearchManualsTool(
  retriever: SearchPort,
): AgentTool<SearchInput, { passages: CitedPassage[] }> {
  return createSearchTool({
    name: 'search_manuals',
    description: 'Searches the product manuals: setup, status lights and troubleshooting steps.',
    retriever,
    filters: MANUAL_FILTERS,
  });
}
