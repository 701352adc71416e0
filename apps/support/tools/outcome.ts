/**
 * @module support/tools/outcome
 * What the support tools return: expected failures are values the model (or the policy) can read, not
 * thrown errors. The messages are safe to show to the customer.
 */
import type { ToolContext, VerifiedCustomer } from '../../../src/spec/agents.ts';

/** A failure code the policy reacts to. */
export type ToolFailureCode =
  | 'not_verified'
  | 'verification_failed'
  | 'too_many_attempts'
  | 'try_again_later'
  | 'order_not_found'
  | 'not_returnable'
  | 'already_returned';

/** An expected failure. */
export interface ToolFailure {
  readonly ok: false;
  readonly code: ToolFailureCode;
  readonly message: string;
}

/** Success with a payload, or an expected failure. */
export type ToolOutcome<T> = ({ readonly ok: true } & T) | ToolFailure;

/** Builds a failure. */
export function failure(code: ToolFailureCode, message: string): ToolFailure {
  return { ok: false, code, message };
}

/** The same answer for a missing order and another customer's order, so neither can be told apart. */
export function orderNotFound(orderNumber: string): ToolFailure {
  return failure('order_not_found', `I could not find order ${orderNumber} on your account.`);
}

/** The verified customer of the context, or the refusal every personal-data tool gives without one. */
export function requireCustomer(context: ToolContext): VerifiedCustomer | ToolFailure {
  return (
    context.customer ??
    failure('not_verified', 'Please verify first: tell me an order number and the email address used for it.')
  );
}

/** Whether a value is a failure. */
export function isFailure(value: unknown): value is ToolFailure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}
