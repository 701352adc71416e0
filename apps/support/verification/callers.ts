/**
 * @module support/verification/callers
 * Who is trying to verify in a conversation, as verification limits count it: the conversation
 * itself, the customer session that owns it (and the API key that issued that session), or the API
 * key or OIDC subject that owns it. Read from the conversation's stored owner, so a run resumed after
 * a restart counts against the same callers; a conversation without an owner (auth off) is counted
 * by itself only.
 */
import type { ConversationRef } from '../../../src/spec/agent-services.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';

/** The callers behind one attempt. */
export interface VerificationCaller {
  readonly conversationId: string;
  /** The customer session owning the conversation. */
  readonly sessionId?: string;
  /** The API key (a session's issuing key) or `oidc:<subject>` acting. */
  readonly keySubject?: string;
  /** Who the audit log names: the conversation's owner, or `anonymous`. */
  readonly actor: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The callers of `ref`'s conversation. */
export async function verificationCallerOf(
  db: SqlExecutor,
  ref: ConversationRef,
): Promise<VerificationCaller> {
  const bare = { conversationId: ref.conversationId, actor: 'anonymous' };
  if (!UUID.test(ref.conversationId)) return bare;
  const { rows } = await db.query<{ owner: string | null }>(
    'SELECT owner FROM conversations WHERE tenant_id = $1 AND id = $2',
    [ref.tenantId, ref.conversationId],
  );
  const owner = rows[0]?.owner;
  if (!owner) return bare;
  const [kind, id = ''] = splitOwner(owner);
  if (kind === 'key') return { ...bare, keySubject: id, actor: owner };
  if (kind === 'oidc') return { ...bare, keySubject: owner, actor: owner };
  if (kind !== 'session' || !UUID.test(id)) return { ...bare, actor: owner };
  const session = await db.query<{ keyId: string | null }>(
    'SELECT issued_key_id::text AS "keyId" FROM customer_sessions WHERE id = $1 AND tenant_id = $2',
    [id, ref.tenantId],
  );
  const keyId = session.rows[0]?.keyId;
  return { ...bare, sessionId: id, ...(keyId ? { keySubject: keyId } : {}), actor: owner };
}

function splitOwner(owner: string): [string, string?] {
  const colon = owner.indexOf(':');
  return colon < 0 ? [owner] : [owner.slice(0, colon), owner.slice(colon + 1)];
}
