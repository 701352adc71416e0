/**
 * @module privacy/section
 * The contract each store that may hold a customer's data implements for data-subject rights: which
 * tables it covers, how it finds the customer's rows (and the links other stores follow, such as the
 * conversations a support app verified as that customer), how it exports them and how it erases them.
 * The product's own stores are sections (privacy/core-sections.ts); an app adds its own
 * (apps/support/privacy-section.ts), so the core never imports an app.
 */
import type { SqlExecutor } from '../store/database.ts';

/**
 * Everything that identifies one customer in one tenant, resolved before anything is exported or
 * erased. `principals` are the caller identities the customer acted as (`session:<id>` of each of
 * their sessions, and `customer:<id>`); `conversationIds` and `answerIds` are the rows other stores
 * are keyed by.
 */
export interface PrivacySubject {
  readonly tenantId: string;
  readonly customerId: string;
  readonly sessionIds: readonly string[];
  readonly principals: readonly string[];
  readonly conversationIds: readonly string[];
  readonly answerIds: readonly string[];
}

/** Links a section contributes to the subject (ids other sections look rows up by). */
export interface PrivacyLinks {
  readonly sessionIds?: readonly string[];
  readonly conversationIds?: readonly string[];
  readonly answerIds?: readonly string[];
}

/** One store's part in export and erase. */
export interface PrivacySection {
  /** Short name shown in reports (`conversations`, `support`). */
  readonly name: string;
  /** Every table the section reads or erases, so an export lists each one, even when empty. */
  readonly tables: readonly string[];
  /**
   * Ids this section knows the customer by; called in order, each seeing what earlier ones found,
   * until nothing new turns up.
   */
  links?(db: SqlExecutor, subject: PrivacySubject): Promise<PrivacyLinks>;
  /** The customer's rows, per table (every table of `tables` present, `[]` when none). */
  export(db: SqlExecutor, subject: PrivacySubject): Promise<Record<string, unknown[]>>;
  /**
   * Removes (or, where a row must stay, pseudonymises) the customer's rows inside `tx`, one
   * transaction per section; returns the rows affected per table. Running it again finds nothing.
   */
  erase(tx: SqlExecutor, subject: PrivacySubject): Promise<Record<string, number>>;
}
