/**
 * @module support/dialogue/localize
 * The order replies of the no-LLM policy in the customer's language. The order flow writes English;
 * its tool results carry the facts, so a status or an order list is written again from them with the
 * language's template. A reply without a template keeps its English, introduced by a sentence in the
 * customer's language that says so and offers a person.
 */
import type { PolicyToolCall } from '../policy.ts';
import { type ReplyTemplates, stateName } from './templates.ts';

interface ShipmentOutput {
  ok: true;
  order: { status: string };
  shipments: { carrier: string; trackingNumber: string; status: string; eta?: string | null }[];
}

interface OrdersOutput {
  ok: true;
  orders: { orderNumber: string; status: string; total: number }[];
}

/** Re-renders one order tool's outcome, if it has a template. */
function rendered(call: PolicyToolCall, t: ReplyTemplates): string | undefined {
  const output = call.output as { ok?: boolean; code?: string; message?: string } | undefined;
  if (!output) return undefined;
  if (call.name === 'shipment_status' && output.ok) {
    const { order, shipments } = output as unknown as ShipmentOutput;
    const shipment = shipments[0];
    return t.status({
      orderNumber: String(call.input.orderNumber),
      orderStatus: stateName(t, order.status),
      ...(shipment
        ? {
            carrier: shipment.carrier,
            trackingNumber: shipment.trackingNumber,
            shipmentStatus: stateName(t, shipment.status),
            eta: shipment.eta ?? null,
          }
        : {}),
    });
  }
  if (call.name === 'find_orders' && output.ok) {
    const { orders } = output as unknown as OrdersOutput;
    return t.orderList(
      orders
        .map((order) => `${order.orderNumber} (${stateName(t, order.status)}, $${order.total.toFixed(2)})`)
        .join(', '),
    );
  }
  if (call.name === 'verify_customer' && !output.ok) {
    if (output.code === 'verification_failed') return t.verificationFailed;
    if (output.code === 'too_many_attempts') return t.tooManyAttempts;
    if (output.code === 'try_again_later')
      return t.tryLater(Number(/(\d+) minute/.exec(output.message ?? '')?.[1] ?? 1));
  }
  return undefined;
}

/**
 * The reply of an order turn in the language of `t`: the last tool's outcome from its template, or
 * `english` introduced by the language's note when there is none.
 */
export function localizeOrderReply(
  calls: readonly PolicyToolCall[],
  english: string,
  englishTemplates: ReplyTemplates,
  t: ReplyTemplates,
): string {
  if (t === englishTemplates) return english;
  if (english === englishTemplates.askVerify) return t.askVerify;
  const last = calls.at(-1);
  const local = last ? rendered(last, t) : undefined;
  return local ?? `${t.englishFollows}\n\n${english}`;
}
