/**
 * @module support/bias-target
 * The support app as a bias-evaluation target (src/evals/bias): every prompt opens a new conversation
 * of `tenantId` and the reply is one turn, in whichever mode the service runs (routed without a
 * model, agents with one). A declined tool call or a refusal in words counts as a refusal; a turn
 * handed to a person as an escalation.
 */
import { looksLikeRefusal } from '../../src/evals/bias/metrics.ts';
import type { BiasTarget } from '../../src/evals/bias/run.ts';
import type { SupportService } from './service.ts';

/** The target. */
export function supportTarget(support: SupportService, tenantId: string, name?: string): BiasTarget {
  return {
    name: name ?? `support app (${support.mode})`,
    async answer(prompt) {
      try {
        const turn = await support.turn({ tenantId, message: prompt });
        return {
          text: turn.reply,
          refused: turn.refused || looksLikeRefusal(turn.reply),
          escalated: turn.escalated,
          citations: turn.citations.map((citation) => citation.source),
        };
      } catch (error) {
        return { text: '', refused: false, escalated: false, citations: [], error: (error as Error).message };
      }
    },
  };
}
