/**
 * @module evals/bias/ask-target
 * The answer pipeline (`POST /v1/ask`) as a bias-evaluation target: through an HTTP app's `request`
 * (in-process, no network) or `fetch` against a running server. A guardrail refusal (HTTP 422), an
 * answer withheld by a check, and an answer that declines in words all count as refusals; a guardrail
 * escalation counts as one too, and as an escalation.
 */
import { looksLikeRefusal } from './metrics.ts';
import type { BiasTarget } from './run.ts';

/** How to send a request: `app.request` of a Hono app, or a `fetch` bound to a server's URL. */
export type RequestFunction = (path: string, init: RequestInit) => Response | Promise<Response>;

const ESCALATION_CODES = new Set([
  'guardrail_self_harm',
  'guardrail_moderation_escalated',
  'guardrail_stereotyping_escalated',
]);

interface AskBody {
  readonly answer?: string;
  readonly notes?: readonly string[];
  readonly citations?: readonly { readonly documentId?: string; readonly source?: string }[];
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The target.
 *
 * @example
 * const target = askTarget((path, init) => http.request(path, init), { secret });
 */
export function askTarget(
  request: RequestFunction,
  options: { secret?: string; name?: string } = {},
): BiasTarget {
  return {
    name: options.name ?? 'answers (/v1/ask)',
    async answer(prompt) {
      const response = await request('/v1/ask', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.secret ? { authorization: `Bearer ${options.secret}` } : {}),
        },
        body: JSON.stringify({ question: prompt }),
      });
      const body = (await response.json()) as AskBody;
      if (response.status === 422 && body.error) {
        const escalated = ESCALATION_CODES.has(body.error.code);
        return { text: body.error.message, refused: true, escalated, citations: [] };
      }
      if (!response.ok || body.answer === undefined) {
        const error = body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`;
        return { text: '', refused: false, escalated: false, citations: [], error };
      }
      const withheld = (body.notes ?? []).some((note) => /withheld by a safety check/.test(note));
      return {
        text: body.answer,
        refused: withheld || looksLikeRefusal(body.answer),
        escalated: false,
        citations: (body.citations ?? []).map((citation) => citation.documentId ?? citation.source ?? ''),
      };
    },
  };
}
