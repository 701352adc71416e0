/** How the inbox words escalations. */
import type { Escalation } from '../../api/inbox.ts';

/** Why the assistant asked for a person. */
export const TRIGGER_TEXT: Record<string, string> = {
  'customer-request': 'asked for a person',
  'repeated-failure': 'repeated failures',
  'sensitive-request': 'sensitive request',
  'low-confidence': 'low confidence',
  'agent-decision': 'agent decision',
};

/** The customer, as well as the escalation names them. */
export function customerOf(escalation: Escalation): string {
  const customer = escalation.customerContext.customer as { email?: string; name?: string } | undefined;
  return customer?.name ?? customer?.email ?? escalation.customerId ?? 'Anonymous customer';
}

/** `75` → `1 min`, `4000` → `1 h 6 min`. */
export function formatWaiting(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
