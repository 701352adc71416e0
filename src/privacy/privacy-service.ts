/**
 * @module privacy/privacy-service
 * Data-subject rights over every store that may hold a customer's data: `export` returns all of the
 * customer's rows, table by table (every covered table listed, even when empty), and `erase` removes
 * them, one transaction per section, and is idempotent (a second erase removes nothing and says so).
 * Both write an audit record naming the customer only by hash (privacy/customer-hash.ts), with who
 * asked and, for erase, how many rows each table lost. ADR 0054.
 *
 * @example
 * const privacy = new PrivacyService(db, { sections: defaultPrivacySections(), answers: answerLog });
 * const data = await privacy.exportCustomer('acme', 'C-1001', { actor: 'cli' });
 * const report = await privacy.eraseCustomer('acme', 'C-1001', { actor: 'cli' });
 */

import { InvalidRequestError } from '../errors.ts';
import { AuditLog } from '../identity/audit.ts';
import { type AnswerLogReader, UNBATCHED_ANSWER_LOG } from '../spec/answer-log.ts';
import type { Database } from '../store/database.ts';
import { CORE_SECTIONS } from './core-sections.ts';
import { customerHash } from './customer-hash.ts';
import type { PrivacyLinks, PrivacySection, PrivacySubject } from './section.ts';

/** Everything stored about one customer. */
export interface CustomerExport {
  readonly tenantId: string;
  readonly customerId: string;
  readonly exportedAt: string;
  /** Rows per table; every covered table is present. */
  readonly tables: Record<string, unknown[]>;
  /** Row counts per table. */
  readonly counts: Record<string, number>;
}

/** What an erase did. */
export interface ErasureReport {
  readonly tenantId: string;
  readonly customerHash: string;
  readonly erasedAt: string;
  /** Rows removed (or, for `audit_log`, pseudonymised) per table. */
  readonly removed: Record<string, number>;
  readonly total: number;
  /** The audit entry written for it (holds no customer id). */
  readonly audit: { readonly action: string; readonly actor: string; readonly target: string };
}

/** Who asked. */
export interface PrivacyScope {
  readonly actor: string;
}

/** The product's sections in erase order, with `extra` (an app's) placed before the sessions. */
export function defaultPrivacySections(extra: readonly PrivacySection[] = []): PrivacySection[] {
  const { traces, answers, conversations, memories, audit, sessions } = CORE_SECTIONS;
  return [traces, answers, conversations, memories, ...extra, audit, sessions];
}

const MAX_ID_LENGTH = 256;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Options of the privacy service. */
export interface PrivacyServiceOptions {
  /** What is searched and erased; default `defaultPrivacySections()` (apps register more). */
  readonly sections?: readonly PrivacySection[];
  /** The answer log, searched for the customer's answers (its batched writer flushes first). */
  readonly answers?: AnswerLogReader;
  /** The trace store's batched writer, flushed before spans are searched. */
  readonly traces?: { flush(): Promise<void> };
}

/** Export and erase of one customer's data. */
export class PrivacyService {
  private readonly sections: PrivacySection[];
  private readonly audit: AuditLog;

  constructor(
    private readonly db: Database,
    private readonly options: PrivacyServiceOptions = {},
  ) {
    this.sections = [...(options.sections ?? defaultPrivacySections())];
    this.audit = new AuditLog(db);
  }

  /** Adds an app's section (before the sessions, which hold the links the others follow). */
  register(section: PrivacySection): void {
    if (this.sections.some((known) => known.name === section.name)) return;
    const sessions = this.sections.findIndex((known) => known.name === 'sessions');
    this.sections.splice(sessions < 0 ? this.sections.length : sessions, 0, section);
  }

  /** Every table covered, in section order. */
  get tables(): string[] {
    return this.sections.flatMap((section) => section.tables);
  }

  /** Finds everything the customer is known by (sessions, conversations, answers), across sections. */
  async resolve(tenantId: string, customerId: string): Promise<PrivacySubject> {
    checkIds(tenantId, customerId);
    // What this process still holds in batches (the answer log, spans) is written before the search.
    await (this.options.answers ?? UNBATCHED_ANSWER_LOG).read(async () => {});
    await this.options.traces?.flush();
    const sessionIds = new Set<string>();
    const conversationIds = new Set<string>();
    const answerIds = new Set<string>();
    const subject = (): PrivacySubject => ({
      tenantId,
      customerId,
      sessionIds: [...sessionIds],
      principals: [`customer:${customerId}`, ...[...sessionIds].map((id) => `session:${id}`)],
      conversationIds: [...conversationIds],
      answerIds: [...answerIds],
    });
    const add = (into: Set<string>, ids: readonly string[] | undefined) => {
      let grew = false;
      for (const id of ids ?? []) {
        if (into.has(id)) continue;
        into.add(id);
        grew = true;
      }
      return grew;
    };
    // Links lead to links (a session owns conversations, which hold answers): repeat until stable.
    for (let round = 0; round < 5; round++) {
      let grew = false;
      for (const section of this.sections) {
        if (!section.links) continue;
        const links: PrivacyLinks = await section.links(this.db, subject());
        grew = add(sessionIds, links.sessionIds) || grew;
        grew = add(conversationIds, links.conversationIds) || grew;
        grew = add(answerIds, links.answerIds) || grew;
      }
      if (!grew) break;
    }
    return subject();
  }

  /** All of the customer's rows, per table; audited as `privacy.export`. */
  async exportCustomer(tenantId: string, customerId: string, scope: PrivacyScope): Promise<CustomerExport> {
    const subject = await this.resolve(tenantId, customerId);
    const tables: Record<string, unknown[]> = {};
    for (const section of this.sections) {
      const rows = await section.export(this.db, subject);
      for (const table of section.tables) tables[table] = rows[table] ?? [];
    }
    const counts = Object.fromEntries(Object.entries(tables).map(([table, rows]) => [table, rows.length]));
    await this.audit.record({
      tenantId,
      actor: scope.actor,
      action: 'privacy.export',
      target: customerHash(tenantId, customerId),
      details: { counts },
    });
    return { tenantId, customerId, exportedAt: new Date().toISOString(), tables, counts };
  }

  /**
   * Erases the customer's rows, section by section, each in its own transaction; audited as
   * `privacy.erase` with the counts. When a section fails, what was erased so far is audited
   * (`complete: false`) and the error is thrown; running erase again finishes the job.
   */
  async eraseCustomer(tenantId: string, customerId: string, scope: PrivacyScope): Promise<ErasureReport> {
    const subject = await this.resolve(tenantId, customerId);
    const hash = customerHash(tenantId, customerId);
    const removed: Record<string, number> = Object.fromEntries(this.tables.map((table) => [table, 0]));
    const record = (details: Record<string, unknown>) =>
      this.audit.record({ tenantId, actor: scope.actor, action: 'privacy.erase', target: hash, details });
    for (const section of this.sections) {
      try {
        const counts = await this.db.transaction((tx) => section.erase(tx, subject));
        for (const [table, count] of Object.entries(counts)) removed[table] = (removed[table] ?? 0) + count;
      } catch (error) {
        await record({ removed, complete: false, failedSection: section.name }).catch(() => {});
        throw error;
      }
    }
    const total = Object.entries(removed)
      .filter(([table]) => table !== 'answer_cache')
      .reduce((sum, [, count]) => sum + count, 0);
    await record({ removed, total, complete: true });
    return {
      tenantId,
      customerHash: hash,
      erasedAt: new Date().toISOString(),
      removed,
      total,
      audit: { action: 'privacy.erase', actor: scope.actor, target: hash },
    };
  }
}

function checkIds(tenantId: string, customerId: string): void {
  for (const [name, value] of [
    ['tenant', tenantId],
    ['customer', customerId],
  ] as const) {
    // NUL and unpaired surrogates cannot be stored or compared by Postgres: a clear 400, not a 500.
    if (
      typeof value !== 'string' ||
      value.trim() === '' ||
      value.length > MAX_ID_LENGTH ||
      value.includes('\0') ||
      LONE_SURROGATE.test(value)
    ) {
      throw new InvalidRequestError(
        `invalid_${name}_id`,
        `The ${name} id must be 1 to ${MAX_ID_LENGTH} characters, without NUL or unpaired surrogates.`,
      );
    }
  }
}
