/**
 * @module support/tools/order-tools
 * `find_orders`, `order_details` and `shipment_status`: the verified customer's own orders. The
 * customer comes only from the tool context, never from the arguments.
 */
import { z } from 'zod';
import type { AgentTool } from '../../../src/spec/agents.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import {
  findOrder,
  listOrders,
  type OrderLine,
  type OrderSummary,
  orderLines,
  orderShipments,
  type Shipment,
} from './orders-repository.ts';
import { isFailure, orderNotFound, requireCustomer, type ToolOutcome } from './outcome.ts';

const orderInput = z.object({ orderNumber: z.string().min(1).max(40) });

/** Input of the tools that take one order. */
export type OrderInput = z.infer<typeof orderInput>;

const normalise = (orderNumber: string) => orderNumber.trim().toUpperCase();

/** `find_orders`: the customer's recent orders. */
export function createFindOrdersTool(
  db: SqlExecutor,
): AgentTool<{ limit?: number }, ToolOutcome<{ orders: OrderSummary[] }>> {
  return {
    name: 'find_orders',
    description: "Lists the verified customer's recent orders, newest first.",
    inputSchema: z.object({ limit: z.number().int().min(1).max(20).optional() }),
    async execute({ limit }, context) {
      const customer = requireCustomer(context);
      if (isFailure(customer)) return customer;
      return {
        ok: true,
        orders: await listOrders(db, { tenantId: context.tenantId, customerId: customer.customerId }, limit),
      };
    },
  };
}

/** `order_details`: one order with its lines. */
export function createOrderDetailsTool(
  db: SqlExecutor,
): AgentTool<OrderInput, ToolOutcome<{ order: OrderSummary; lines: OrderLine[] }>> {
  return {
    name: 'order_details',
    description: 'Shows one order of the verified customer: status, dates, total and items.',
    inputSchema: orderInput,
    async execute(input, context) {
      const customer = requireCustomer(context);
      if (isFailure(customer)) return customer;
      const owner = { tenantId: context.tenantId, customerId: customer.customerId };
      const orderNumber = normalise(input.orderNumber);
      const order = await findOrder(db, owner, orderNumber);
      if (!order) return orderNotFound(orderNumber);
      return { ok: true, order, lines: await orderLines(db, owner, orderNumber) };
    },
  };
}

/** `shipment_status`: carrier, tracking, ETA and events of an order. */
export function createShipmentStatusTool(
  db: SqlExecutor,
): AgentTool<OrderInput, ToolOutcome<{ order: OrderSummary; shipments: Shipment[] }>> {
  return {
    name: 'shipment_status',
    description:
      'Where an order of the verified customer is: carrier, tracking number, status, ETA and events.',
    inputSchema: orderInput,
    async execute(input, context) {
      const customer = requireCustomer(context);
      if (isFailure(customer)) return customer;
      const owner = { tenantId: context.tenantId, customerId: customer.customerId };
      const orderNumber = normalise(input.orderNumber);
      const order = await findOrder(db, owner, orderNumber);
      if (!order) return orderNotFound(orderNumber);
      return { ok: true, order, shipments: await orderShipments(db, owner, orderNumber) };
    },
  };
}
