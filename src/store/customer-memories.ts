/**
 * @module store/customer-memories
 * Long-term memory rows: facts, preferences and past issues of one customer. Every statement filters
 * by tenant AND customer inside the SQL, so no query can return another customer's memory, whatever
 * the caller does with the results.
 */
import type { SqlExecutor } from './database.ts';
import { toVectorLiteral } from './database.ts';

/** What a memory is about. */
export type CustomerMemoryKind = 'fact' | 'preference' | 'issue';

/** Kinds, for validation. */
export const CUSTOMER_MEMORY_KINDS = ['fact', 'preference', 'issue'] as const;

/** Whose memory: a customer of a tenant. */
export interface CustomerKey {
  readonly tenantId: string;
  readonly customerId: string;
}

/** A stored memory; `score` is set by recall (cosine similarity, or term overlap without vectors). */
export interface CustomerMemoryRow {
  readonly id: number;
  readonly kind: CustomerMemoryKind;
  readonly text: string;
  readonly resolution: string | null;
  readonly sourceConversation: string | null;
  readonly createdAt: string;
  readonly score?: number;
}

const COLUMNS = `id::int AS id, kind, text, resolution, source_conversation AS "sourceConversation",
  created_at::text AS "createdAt"`;

/** A memory to store, with its vector when an embedder is configured. */
export interface NewCustomerMemory {
  readonly kind: CustomerMemoryKind;
  readonly text: string;
  readonly resolution?: string;
  readonly sourceConversation?: string;
  readonly vector?: { readonly modelId: number; readonly values: ArrayLike<number> };
}

/**
 * Inserts a memory, or returns the same text already stored for this customer. A source conversation
 * that is not this tenant's is not linked.
 */
export async function insertCustomerMemory(
  db: SqlExecutor,
  key: CustomerKey,
  memory: NewCustomerMemory,
): Promise<CustomerMemoryRow> {
  const { rows: existing } = await db.query<CustomerMemoryRow>(
    `SELECT ${COLUMNS} FROM customer_memories
     WHERE tenant_id = $1 AND customer_id = $2 AND kind = $3 AND text = $4`,
    [key.tenantId, key.customerId, memory.kind, memory.text],
  );
  if (existing[0]) return existing[0];
  const { rows } = await db.query<CustomerMemoryRow>(
    `INSERT INTO customer_memories
       (tenant_id, customer_id, kind, text, resolution, source_conversation, model_id, embedding)
     VALUES ($1, $2, $3, $4, $5,
             (SELECT id FROM conversations WHERE id::text = $6 AND tenant_id = $1), $7, $8::vector)
     RETURNING ${COLUMNS}`,
    [
      key.tenantId,
      key.customerId,
      memory.kind,
      memory.text,
      memory.resolution ?? null,
      memory.sourceConversation ?? null,
      memory.vector?.modelId ?? null,
      memory.vector ? toVectorLiteral(memory.vector.values) : null,
    ],
  );
  return rows[0]!;
}

/** The customer's memories nearest to `vector` (same embedding model only), most similar first. */
export async function nearestCustomerMemories(
  db: SqlExecutor,
  key: CustomerKey,
  vector: { readonly modelId: number; readonly values: ArrayLike<number> },
  limit: number,
): Promise<CustomerMemoryRow[]> {
  const { rows } = await db.query<CustomerMemoryRow>(
    `SELECT ${COLUMNS}, (1 - (embedding <=> $4::vector))::float8 AS score FROM customer_memories
     WHERE tenant_id = $1 AND customer_id = $2 AND model_id = $3 AND embedding IS NOT NULL
     ORDER BY embedding <=> $4::vector, id LIMIT $5`,
    [key.tenantId, key.customerId, vector.modelId, toVectorLiteral(vector.values), limit],
  );
  return rows;
}

/** The customer's newest memories. */
export async function listCustomerMemories(
  db: SqlExecutor,
  key: CustomerKey,
  limit = 500,
): Promise<CustomerMemoryRow[]> {
  const { rows } = await db.query<CustomerMemoryRow>(
    `SELECT ${COLUMNS} FROM customer_memories WHERE tenant_id = $1 AND customer_id = $2
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [key.tenantId, key.customerId, limit],
  );
  return rows;
}
