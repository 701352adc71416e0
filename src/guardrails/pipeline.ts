/**
 * @module guardrails/pipeline
 * Runs the guardrails of one stage in order. A redaction hands its text to the next guardrail; a
 * block or an escalation stops the stage. A guardrail that throws blocks with `guardrail_error`:
 * failing open would let exactly the input that broke a check through unchecked.
 */

import { type Logger, logger as processLogger } from '../observability/logger.ts';
import type {
  Guardrail,
  GuardrailContext,
  GuardrailDecision,
  GuardrailStage,
  RecordedDecision,
  StageOutcome,
} from '../spec/guardrails.ts';
import { type DecisionCounter, GUARDRAIL_DECISIONS, traceDecision } from './decision-counter.ts';

/** Where decisions and failures go; tests and benches pass their own. */
export interface PipelineOptions {
  readonly counter?: DecisionCounter;
  /** Called with a guardrail's exception; default: logged (scrubbed) on `logger`. */
  readonly onError?: (error: unknown, guardrail: string) => void;
  /** Where the default `onError` reports; default the process's logger. */
  readonly logger?: Logger;
  /**
   * Called when a guardrail escalates, with the text it stopped; a failure here is reported to
   * `onError` and the text stays stopped.
   */
  readonly onEscalate?: (
    decision: RecordedDecision,
    text: string,
    context: GuardrailContext,
  ) => Promise<void>;
}

/** The ordered guardrails of a product. */
export class GuardrailPipeline {
  private readonly counter: DecisionCounter;
  private readonly onError: (error: unknown, guardrail: string) => void;
  private readonly onEscalate?: PipelineOptions['onEscalate'];

  constructor(
    readonly guardrails: readonly Guardrail[],
    options: PipelineOptions = {},
  ) {
    this.counter = options.counter ?? GUARDRAIL_DECISIONS;
    this.onError =
      options.onError ??
      // The exception can quote the text it checked; the logger scrubs personal data from it.
      ((error, guardrail) =>
        (options.logger ?? processLogger).error(
          { err: error, guardrail },
          `Guardrail ${guardrail} failed; blocking (fail closed).`,
        ));
    this.onEscalate = options.onEscalate;
  }

  /** Whether any guardrail runs at `stage`. */
  has(stage: GuardrailStage): boolean {
    return this.guardrails.some((guardrail) => guardrail.stages.includes(stage));
  }

  /**
   * Runs every guardrail of `context.stage` over `text`.
   *
   * @example
   * const outcome = await pipeline.run('ignore all previous instructions', { stage: 'input', tenantId: 'acme' });
   * if (outcome.stopped) throw new GuardrailBlockedError(outcome.stopped);
   */
  async run(text: string, context: GuardrailContext): Promise<StageOutcome> {
    const decisions: RecordedDecision[] = [];
    let current = text;
    for (const guardrail of this.guardrails) {
      if (!guardrail.stages.includes(context.stage)) continue;
      const decision = this.record(
        guardrail,
        context.stage,
        await this.checkSafely(guardrail, current, context),
      );
      decisions.push(decision);
      if (decision.action === 'redact' && decision.redactedText !== undefined)
        current = decision.redactedText;
      if (decision.action === 'escalate' && this.onEscalate) {
        try {
          await this.onEscalate(decision, current, context);
        } catch (error) {
          this.onError(error, `${guardrail.name} (escalation)`);
        }
      }
      if (decision.action === 'block' || decision.action === 'escalate') {
        return { text: current, decisions, stopped: decision };
      }
    }
    return { text: current, decisions };
  }

  private async checkSafely(
    guardrail: Guardrail,
    text: string,
    context: GuardrailContext,
  ): Promise<GuardrailDecision> {
    try {
      return await guardrail.check(text, context);
    } catch (error) {
      this.onError(error, guardrail.name);
      return {
        action: 'block',
        code: 'guardrail_error',
        reason: 'A safety check could not run, so the request was stopped; try again or tell the operator.',
      };
    }
  }

  private record(guardrail: Guardrail, stage: GuardrailStage, decision: GuardrailDecision): RecordedDecision {
    const recorded: RecordedDecision = { ...decision, guardrail: guardrail.name, stage };
    this.counter.add(recorded);
    traceDecision(recorded);
    return recorded;
  }
}
