/**
 * @module store/database
 * Helpers shared by the SQL in `src/store`; the port itself lives in `spec/database` and is
 * re-exported here so store modules keep one import.
 */

export type {
  Database,
  DatabaseCapabilities,
  QueryResult,
  ReadExecutor,
  SqlExecutor,
  TransactionOptions,
} from '../spec/database.ts';

/** Turns an embedding into pgvector's text form. */
export function toVectorLiteral(vector: ArrayLike<number>): string {
  let text = '[';
  for (let index = 0; index < vector.length; index++) {
    if (index > 0) text += ',';
    const value = vector[index] as number;
    // Seven significant digits round-trips float4, which is what pgvector stores.
    text += Number.isFinite(value) ? value.toPrecision(7) : '0';
  }
  return `${text}]`;
}
