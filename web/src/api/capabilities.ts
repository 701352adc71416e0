/**
 * What this server offers, read from its OpenAPI document (which lists only the routes the server
 * mounts), so pages for APIs that are not there (an older server, or no support app) hide instead of
 * failing.
 */
import type { ApiRoute } from './routes.gen.ts';

/** Routes the UI has optional features for. */
export interface Capabilities {
  /** `POST /v1/feedback`: thumbs on answers. */
  readonly feedback: boolean;
  /** `GET /v1/feedback`: the review page. */
  readonly feedbackReview: boolean;
  readonly inbox: boolean;
  /** `GET /v1/conversations/:id/messages`: a person's replies in the chat. */
  readonly conversationMessages: boolean;
  readonly traces: boolean;
  readonly usage: boolean;
  /** `/v1/prompts` and `/v1/experiments`. */
  readonly prompts: boolean;
  /** `POST /v1/support/messages`: the chat talks to the support app (`groundwork support`). */
  readonly support: boolean;
  /** `GET /v1/support/approvals` and the decisions: the approvals page. */
  readonly supportApprovals: boolean;
}

/** Nothing optional (before the document arrives, or when it cannot be read). */
export const NO_CAPABILITIES: Capabilities = {
  feedback: false,
  feedbackReview: false,
  inbox: false,
  conversationMessages: false,
  traces: false,
  usage: false,
  prompts: false,
  support: false,
  supportApprovals: false,
};

/** Reads `/openapi.json` (public); on any failure, nothing optional is offered. */
export async function loadCapabilities(fetcher: typeof fetch = fetch): Promise<Capabilities> {
  try {
    const response = await fetcher('/openapi.json');
    if (!response.ok) return NO_CAPABILITIES;
    const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> };
    // Routes as the server declares them (routes.gen.ts), path parameters written `{id}` as in OpenAPI.
    const has = (route: ApiRoute) => {
      const [method, path] = route.split(' ') as [string, string];
      return Boolean(document.paths?.[path]?.[method]);
    };
    return {
      feedback: has('post /v1/feedback'),
      feedbackReview: has('get /v1/feedback'),
      inbox: has('get /v1/inbox') && has('get /v1/inbox/events'),
      conversationMessages: has('get /v1/conversations/{id}/messages'),
      traces: has('get /v1/traces') && has('get /v1/traces/{id}'),
      usage: has('get /v1/usage'),
      prompts: has('post /v1/prompts/{name}/promote') && has('get /v1/experiments/{id}/results'),
      // The document lists an app's routes only when the server mounts the app.
      support: has('post /v1/support/messages'),
      supportApprovals: has('get /v1/support/approvals') && has('post /v1/support/approvals/{runId}/approve'),
    };
  } catch {
    return NO_CAPABILITIES;
  }
}
