/**
 * @module agents/consent/messages
 * What the runtime says about consent, in one place so both modes word it the same: the question that
 * states the exact action, and what the model is told when a call was held or not proposed.
 */
import type { LanguageModelV3Message } from '@ai-sdk/provider';
import type { RequestForm } from './request-form.ts';

/** The question the customer answers; `description` is the tool's own statement of the action. */
export function confirmationQuestion(description: string): string {
  return `To confirm, I will ${description}. Shall I go ahead? Reply "yes" to confirm, or "no" to leave it.`;
}

/** The held call's result, for the model. */
export function heldMessage(description: string): string {
  return `Not run yet: nothing has changed. The customer was asked to confirm that you will ${description}; it runs only if their next message is an explicit yes.`;
}

/** Why a call was not even proposed, for the model. */
export function notProposedMessage(form: Exclude<RequestForm, 'request'>): string {
  const what =
    form === 'question'
      ? 'a question about this action'
      : form === 'hypothetical'
        ? 'a hypothetical or conditional mention of this action'
        : 'a refusal of this action';
  return `Not run and not proposed: the customer's last message is ${what}, not a request for it. Answer what they asked; only a plain request from them may lead to the action.`;
}

/** The text of the last customer message in a model prompt. */
export function lastCustomerText(messages: readonly LanguageModelV3Message[]): string {
  const last = messages.findLast((message) => message.role === 'user');
  if (last?.role !== 'user') return '';
  return last.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}
