/**
 * @module support/create-support-app
 * The support app over a running product, wired one way for every caller: `groundwork support`, the
 * web harness and the tests. It migrates the app's tables, registers its privacy section (so export
 * and erase cover its tables), builds the support service and gives what the HTTP app mounts: the
 * support routes, honouring customer sessions, and the customer directory sessions are issued for.
 *
 * @example
 * const supportApp = await createSupportApp(app);
 * const http = createHttpApp(app, { ...supportApp.http, drain });
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { IntentRouter } from '../../src/agents/intents/router.ts';
import type { Groundwork } from '../../src/app.ts';
import type { HttpAppOptions } from '../../src/server/app.ts';
import type { AnyAgentTool } from '../../src/spec/agents.ts';
import { SupportCustomerDirectory } from './customer-directory.ts';
import { supportRoutes } from './http.ts';
import { supportPrivacySection } from './privacy-section.ts';
import { trainSupportRouter } from './scenarios/runner.ts';
import { createSupportService, type SupportService, type SupportServiceDependencies } from './service.ts';
import { migrateSupportStore } from './store/migrations.ts';
import type { SearchPort } from './tools/index.ts';

/** What a caller may choose; everything has the production default. */
export interface SupportAppOptions
  extends Partial<
    Pick<
      SupportServiceDependencies,
      'now' | 'historyTokens' | 'budgetMs' | 'toolTimeoutMs' | 'verification' | 'moderation'
    >
  > {
  /** Where the agents and the routed policy search; default the app's retriever. */
  readonly retriever?: SearchPort;
  /** The intent router of the no-LLM policy; default the one trained on the app's intents. */
  readonly router?: IntentRouter;
  /** Operator tools (MCP); default the tools of the configured MCP servers that could be reached. */
  readonly operatorTools?: readonly AnyAgentTool[];
  /** Overrides the app's model; `null` forces the no-LLM policy. */
  readonly model?: LanguageModelV3 | null;
}

/** The support app, ready to mount. */
export interface SupportApp {
  readonly service: SupportService;
  /** Spread into `createHttpApp`'s options. */
  readonly http: Required<Pick<HttpAppOptions, 'routes' | 'customers'>>;
  /** One line each for an MCP server whose tools could not be loaded (the rest still work). */
  readonly problems: readonly string[];
}

/** Builds the support app over `app`. */
export async function createSupportApp(
  app: Groundwork,
  options: SupportAppOptions = {},
): Promise<SupportApp> {
  await migrateSupportStore(app.db);
  let operatorTools = options.operatorTools;
  const problems: string[] = [];
  if (!operatorTools) {
    operatorTools = await app.mcp.tools();
    for (const problem of app.mcp.problems) problems.push(`MCP server ${problem.server}: ${problem.message}`);
  }
  const { retriever, router, operatorTools: _given, ...service } = options;
  const support = createSupportService(app, {
    ...service,
    retriever: retriever ?? app.retriever,
    router: router ?? (await trainSupportRouter()),
    operatorTools,
  });
  app.privacy.register(supportPrivacySection);
  const customers = new SupportCustomerDirectory(app.db);
  return {
    service: support,
    http: { routes: [supportRoutes(support, { sessions: app.sessions, customers })], customers },
    problems,
  };
}
