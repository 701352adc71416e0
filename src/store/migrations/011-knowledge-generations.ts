/**
 * @module store/migrations/011-knowledge-generations
 * A per-tenant counter of knowledge changes (store/knowledge-generation.ts). Every document insert,
 * update or delete bumps it in the same transaction, so a cached answer keyed by the generation it was
 * built from becomes unreachable the moment the data changes, in every server process.
 */

/** One row per tenant that has ever changed a document; a missing row is generation 0. */
export const MIGRATION_011 = `
CREATE TABLE knowledge_generations (
  tenant_id   text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  generation  bigint NOT NULL DEFAULT 0
);
`;
