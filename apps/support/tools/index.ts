/**
 * @module support/tools
 * All the support app's tools, built from the database and the retriever.
 *
 * @example
 * const tools = createSupportTools({ db, retriever });
 * const verified = await tools.verifyCustomer.execute({ orderNumber: 'GW-10001', email }, context);
 * if (verified.ok) await tools.orderDetails.execute({ orderNumber: 'GW-10001' }, { ...context, customer: verified.customer });
 */
import type { Database, SqlExecutor } from '../../../src/store/database.ts';
import { VerificationGuard } from '../verification/guard.ts';
import { createSearchFaqTool, createSearchManualsTool, type SearchPort } from './knowledge-tools.ts';
import { createFindOrdersTool, createOrderDetailsTool, createShipmentStatusTool } from './order-tools.ts';
import { createStartReturnTool, type ReturnPolicy } from './start-return.ts';
import { createVerifyCustomerTool } from './verify-customer.ts';

/** What the tools need. */
export interface SupportToolDependencies {
  /** The database, or a transaction the caller holds open (the scenario runner's). */
  readonly db: Database | SqlExecutor;
  readonly retriever: SearchPort;
  readonly policy?: ReturnPolicy;
  /** The clock of the return window (tests and scenarios pin it to the seed's date). */
  readonly now?: () => Date;
  /** Counts and decides verification attempts; one with the default limits when absent. */
  readonly verification?: VerificationGuard;
}

/** Builds every tool. */
export function createSupportTools(deps: SupportToolDependencies) {
  return {
    verifyCustomer: createVerifyCustomerTool(deps.verification ?? new VerificationGuard(deps.db)),
    findOrders: createFindOrdersTool(deps.db),
    orderDetails: createOrderDetailsTool(deps.db),
    shipmentStatus: createShipmentStatusTool(deps.db),
    startReturn: createStartReturnTool(deps.db, { policy: deps.policy, now: deps.now }),
    searchFaq: createSearchFaqTool(deps.retriever),
    searchManuals: createSearchManualsTool(deps.retriever),
  };
}

/** The tools object. */
export type SupportTools = ReturnType<typeof createSupportTools>;

export type { CitedPassage, SearchPort } from './knowledge-tools.ts';
export { isFailure, type ToolFailure, type ToolOutcome } from './outcome.ts';
export { RETURN_POLICY } from './start-return.ts';
