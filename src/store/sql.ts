/**
 * @module store/sql
 * A tiny helper for building parameterised SQL with numbered placeholders, so optional filters can be
 * appended without string-concatenating values.
 */

/** Collects parameters and hands out `$n` placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
