/**
 * @module support/tools/verify-customer
 * `verify_customer`: an order number plus the email on it proves who the customer is (both must name
 * the same customer). Attempts are limited per conversation, session, API key and target customer,
 * across conversations and processes (support/verification/guard.ts). Every mismatch — unknown
 * order, unknown email, an order and an email of different customers, or a customer locked against
 * guessing — gets the same result word for word, so nothing tells a guesser what exists.
 */
import { z } from 'zod';
import type { AgentTool, VerifiedCustomer } from '../../../src/spec/agents.ts';
import type { VerificationGuard } from '../verification/guard.ts';
import { failure, type ToolOutcome } from './outcome.ts';

/** The reply to every mismatch, whichever part was wrong (or whether the customer is locked). */
export const VERIFICATION_FAILED =
  'I could not verify those details. Please check the order number and the email address and try again.';
/** The caller has no attempts left here. */
export const TOO_MANY_ATTEMPTS = 'Too many verification attempts. A member of our team will help you.';
/** This failure used the caller's last attempt. */
export const LAST_ATTEMPT_FAILED =
  'I could not verify those details, and that was the last attempt here. A member of our team will help you.';

const input = z.object({
  orderNumber: z.string().min(1).max(40),
  email: z.string().min(1).max(320),
});

/** The tool's input. */
export type VerifyCustomerInput = z.infer<typeof input>;

/** Creates `verify_customer` over the guard that counts and decides attempts. */
export function createVerifyCustomerTool(
  guard: VerificationGuard,
): AgentTool<VerifyCustomerInput, ToolOutcome<{ customer: VerifiedCustomer }>> {
  return {
    name: 'verify_customer',
    description: 'Verifies the customer with an order number and the email address used for that order.',
    inputSchema: input,
    async execute({ orderNumber, email }, context) {
      const outcome = await guard.attempt({
        tenantId: context.tenantId,
        conversationId: context.conversationId,
        orderNumber,
        email,
      });
      switch (outcome.kind) {
        case 'verified': {
          const { customer } = outcome;
          return {
            ok: true,
            customer: {
              customerId: customer.id,
              email: customer.email,
              name: customer.name,
              verifiedBy: 'order-and-email',
            },
          };
        }
        case 'locked':
          return failure('too_many_attempts', TOO_MANY_ATTEMPTS);
        case 'wait': {
          const minutes = Math.max(1, Math.ceil(outcome.retryAfterSeconds / 60));
          return failure(
            'try_again_later',
            `Too many verification attempts in a short time. Please try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          );
        }
        case 'failed':
          return outcome.lockedOut
            ? failure('too_many_attempts', LAST_ATTEMPT_FAILED)
            : failure('verification_failed', VERIFICATION_FAILED);
      }
    },
  };
}
