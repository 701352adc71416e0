/**
 * @module agents/memory/customer
 * Long-term memory per customer: facts ("has two thermostats"), preferences ("email, not phone") and
 * past issues with how they were resolved. Memories are embedded when stored and recalled by cosine
 * similarity in SQL; without an embedder, recall ranks the customer's memories by shared terms.
 * Every read and write is scoped by tenant and customer inside the query.
 */
import { InvalidRequestError } from '../../errors.ts';
import type { EmbedderInfo } from '../../spec/embedding.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';
import {
  type CustomerKey,
  type CustomerMemoryKind,
  type CustomerMemoryRow,
  insertCustomerMemory,
  listCustomerMemories,
  nearestCustomerMemories,
} from '../../store/customer-memories.ts';
import type { Database } from '../../store/database.ts';

/** What to remember. */
export interface MemoryToStore {
  readonly kind: CustomerMemoryKind;
  readonly text: string;
  /** For a past issue: how it was resolved. */
  readonly resolution?: string;
  readonly sourceConversation?: string;
}

/** What the customer memory needs. */
export interface CustomerMemoryOptions {
  readonly db: Database;
  /** The embedder and its registered model id (`embedding_models.id`); absent: term-overlap recall. */
  readonly embedder?: EmbedderInfo & { readonly modelId: number };
  readonly analyzer: LexicalAnalyzer;
}

const MAX_TEXT = 2000;

/** The customer memory. */
export class CustomerMemory {
  constructor(private readonly options: CustomerMemoryOptions) {}

  /**
   * Stores a memory (the same text twice is stored once).
   *
   * @example
   * await memory.remember({ tenantId, customerId: 'c-42' }, { kind: 'preference', text: 'Prefers email.' });
   */
  async remember(key: CustomerKey, memory: MemoryToStore): Promise<CustomerMemoryRow> {
    const text = memory.text.trim();
    if (!text) throw new InvalidRequestError('empty_memory', 'A memory needs some text.');
    if (text.length > MAX_TEXT) {
      throw new InvalidRequestError('memory_too_long', `A memory may have at most ${MAX_TEXT} characters.`);
    }
    const embedder = this.options.embedder;
    const vector = embedder
      ? {
          modelId: embedder.modelId,
          values: await this.embed(memory.resolution ? `${text} ${memory.resolution}` : text),
        }
      : undefined;
    return insertCustomerMemory(this.options.db, key, { ...memory, text, vector });
  }

  /** The customer's memories most related to `query`, best first. */
  async recall(key: CustomerKey, query: string, limit = 5): Promise<CustomerMemoryRow[]> {
    const embedder = this.options.embedder;
    if (embedder) {
      const values = await this.embed(`${embedder.queryPrefix ?? ''}${query}`);
      return nearestCustomerMemories(this.options.db, key, { modelId: embedder.modelId, values }, limit);
    }
    const wanted = new Set(this.options.analyzer.terms(query));
    const ranked = (await listCustomerMemories(this.options.db, key)).map((row) => {
      const terms = new Set(this.options.analyzer.terms(`${row.text} ${row.resolution ?? ''}`));
      let shared = 0;
      for (const term of wanted) if (terms.has(term)) shared++;
      return { ...row, score: wanted.size > 0 ? shared / wanted.size : 0 };
    });
    return ranked
      .filter((row) => row.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /** The customer's newest memories (for an operator's view of the customer). */
  list(key: CustomerKey, limit = 50): Promise<CustomerMemoryRow[]> {
    return listCustomerMemories(this.options.db, key, limit);
  }

  private async embed(text: string): Promise<number[]> {
    const { embeddings } = await this.options.embedder!.model.doEmbed({ values: [text] });
    return embeddings[0]!;
  }
}
