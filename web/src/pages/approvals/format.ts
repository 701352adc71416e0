/** How the approvals page words a waiting run. */
import type { PendingApproval, PendingCall } from '../../api/support.ts';

/** The customer, as well as the run knows them. */
export function customerText(approval: PendingApproval): string {
  const customer = approval.customer;
  if (!customer) return 'Unverified customer';
  if (customer.name && customer.email) return `${customer.name} <${customer.email}>`;
  return customer.name ?? customer.email ?? customer.id;
}

/** `649` → `$649.00`. */
export function formatAmount(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** What the call would do, in a line: "Refund $649.00 for order GW-10002". */
export function callSummary(call: PendingCall): string {
  if (call.refund) return `Refund ${formatAmount(call.refund.amount)} for order ${call.refund.orderNumber}`;
  return call.toolName.replaceAll('_', ' ');
}

/** The customer's reason when the call carries one. */
export function reasonOf(call: PendingCall): string | null {
  const reason = (call.input as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' && reason.trim() ? reason : null;
}

/** Seconds the run has waited at `now`. */
export function waitedSeconds(approval: PendingApproval, now: number): number {
  return (now - Date.parse(approval.waitingSince)) / 1000;
}
