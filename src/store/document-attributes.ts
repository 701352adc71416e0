/**
 * @module store/document-attributes
 * Rewrites a stored document's ACL and metadata in place, without touching its text, chunks or
 * vectors (ADR 0028). A changed ACL moves the document, its chunks, postings and vectors to the new
 * access set and its BM25 statistics from the old set to the new one, all in one transaction that also
 * bumps the tenant's knowledge generation, so no reader (and no cached answer) ever sees the document
 * with its old access after the change commits.
 */
import type { Database, SqlExecutor } from './database.ts';
import { canonicalAcl, ensureAclSet } from './documents.ts';
import { bumpKnowledgeGeneration } from './knowledge-generation.ts';
import { adjustLexicalStats, chunkTotalsBySet } from './lexical-stats.ts';

/** The access and metadata a document should have. */
export interface DocumentAttributes {
  readonly acl: readonly string[];
  /** The merged metadata (request fields under the file's own). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The file's own part of `metadata` (see `DocumentWrite.derivedMetadata`). */
  readonly derivedMetadata: Readonly<Record<string, unknown>>;
}

/** What an attribute update changed; all false when the document already had these attributes. */
export interface AttributeChange {
  readonly access: boolean;
  readonly metadata: boolean;
}

interface Comparison {
  readonly aclSetId: string | number;
  readonly sameAcl: boolean;
  readonly sameMetadata: boolean;
  readonly sameDerived: boolean;
}

/**
 * Gives a document new attributes; returns what changed, or `undefined` when the document is gone.
 * An unchanged document costs one read and no write.
 */
export async function updateDocumentAttributes(
  db: Database,
  tenantId: string,
  documentId: number,
  attributes: DocumentAttributes,
): Promise<AttributeChange | undefined> {
  const acl = canonicalAcl(attributes.acl);
  const values = [
    tenantId,
    documentId,
    acl.length > 0 ? acl : ['*'],
    JSON.stringify(attributes.metadata),
    JSON.stringify(attributes.derivedMetadata),
  ];
  const compare = (executor: SqlExecutor, lock: boolean) =>
    executor.query<Comparison>(
      `SELECT d.acl_set_id AS "aclSetId", s.principals = $3::text[] AS "sameAcl",
              d.metadata = $4::jsonb AS "sameMetadata", d.derived_metadata IS NOT DISTINCT FROM $5::jsonb AS "sameDerived"
       FROM documents d JOIN acl_sets s ON s.id = d.acl_set_id
       WHERE d.tenant_id = $1 AND d.id = $2${lock ? ' FOR UPDATE OF d' : ''}`,
      values,
    );
  const unlocked = (await compare(db, false)).rows[0];
  if (!unlocked) return undefined;
  if (unlocked.sameAcl && unlocked.sameMetadata && unlocked.sameDerived) {
    return { access: false, metadata: false };
  }
  return db.transaction(async (tx) => {
    const current = (await compare(tx, true)).rows[0];
    if (!current) return undefined;
    let aclSetId = Number(current.aclSetId);
    if (!current.sameAcl) {
      aclSetId = await moveToAclSet(tx, tenantId, documentId, attributes.acl);
    }
    await tx.query(
      `UPDATE documents SET acl = $3, acl_set_id = $4, metadata = $5::jsonb, derived_metadata = $6::jsonb,
         updated_at = CASE WHEN $7 THEN now() ELSE updated_at END
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        documentId,
        attributes.acl,
        aclSetId,
        values[3],
        values[4],
        !current.sameAcl || !current.sameMetadata,
      ],
    );
    const change = { access: !current.sameAcl, metadata: !current.sameMetadata };
    if (change.access || change.metadata) await bumpKnowledgeGeneration(tx, tenantId);
    return change;
  });
}

/** Moves a document's chunks, postings and vectors, and their statistics, to the set for `acl`. */
async function moveToAclSet(
  tx: SqlExecutor,
  tenantId: string,
  documentId: number,
  acl: readonly string[],
): Promise<number> {
  const aclSetId = await ensureAclSet(tx, tenantId, acl);
  const totals = await chunkTotalsBySet(tx, [documentId]);
  const chunkIds = 'SELECT id FROM chunks WHERE document_id = $2';
  // Chunks first: their row locks make a concurrent vector backfill (which copies the chunk's access
  // set, see backfill-vectors.ts) wait for this transaction and then copy the new set.
  await tx.query(
    'UPDATE chunks SET acl_set_id = $3 WHERE tenant_id = $1 AND document_id = $2 AND acl_set_id <> $3',
    [tenantId, documentId, aclSetId],
  );
  await tx.query(
    `UPDATE postings SET acl_set_id = $3 WHERE tenant_id = $1 AND chunk_id IN (${chunkIds}) AND acl_set_id <> $3`,
    [tenantId, documentId, aclSetId],
  );
  await tx.query(
    `UPDATE chunk_vectors SET acl_set_id = $3 WHERE tenant_id = $1 AND chunk_id IN (${chunkIds}) AND acl_set_id <> $3`,
    [tenantId, documentId, aclSetId],
  );
  let moved = { count: 0, length: 0 };
  for (const [setId, total] of totals) {
    if (setId === aclSetId) continue;
    await adjustLexicalStats(tx, tenantId, setId, { count: -total.count, length: -total.length });
    moved = { count: moved.count + total.count, length: moved.length + total.length };
  }
  await adjustLexicalStats(tx, tenantId, aclSetId, moved);
  return aclSetId;
}
