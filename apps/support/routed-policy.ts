/**
 * @module support/routed-policy
 * The no-LLM policy wired to its stores: pending actions in `agent_pending_actions` and approvals as
 * paused runs in `agent_runs`, over the database or a transaction the caller holds (the scenarios').
 */
import type { IntentRouter } from '../../src/agents/intents/router.ts';
import type { AgentRunStore, PendingActionStore } from '../../src/spec/agents.ts';
import type { LexicalAnalyzer } from '../../src/spec/lexical.ts';
import { PostgresAgentRunStore } from '../../src/store/agent-runs.ts';
import type { SqlExecutor } from '../../src/store/database.ts';
import { PostgresPendingActionStore } from '../../src/store/pending-actions.ts';
import { createSupportPolicy, type SupportPolicy } from './policy.ts';
import { requestRoutedApproval } from './routed-approvals.ts';
import { createRoutedConsent } from './routed-consent.ts';
import type { SupportTools } from './tools/index.ts';

/** Builds the policy; the stores default to Postgres over `db`. */
export function createRoutedPolicy(options: {
  readonly db: SqlExecutor;
  readonly router: IntentRouter;
  readonly tools: SupportTools;
  readonly analyzer: LexicalAnalyzer;
  readonly runs?: AgentRunStore;
  readonly actions?: PendingActionStore;
  readonly now?: () => Date;
}): SupportPolicy {
  const runs = options.runs ?? new PostgresAgentRunStore(options.db);
  const consent = createRoutedConsent({
    tools: options.tools,
    actions: options.actions ?? new PostgresPendingActionStore(options.db),
    requestApproval: (session, call) => {
      // The consent step asks for an approval only for a verified customer.
      const customer = session.customer;
      if (!customer) throw new Error('An approval needs a verified customer.');
      return requestRoutedApproval(runs, session, customer, call);
    },
    ...(options.now ? { now: options.now } : {}),
  });
  return createSupportPolicy({
    router: options.router,
    tools: options.tools,
    analyzer: options.analyzer,
    consent,
  });
}
