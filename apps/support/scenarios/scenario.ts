/**
 * @module support/scenarios/scenario
 * The scenario format: a scripted conversation with, per turn, what the customer (or an operator)
 * does and what must happen. Scenarios are JSON files in this folder; `scenario-schema.ts` validates
 * them, so a malformed file is a clear error rather than a scenario that can never fail. The same
 * expectations are checked in the `routed` mode (no model) and on the agent runtime (`scripted`,
 * `local`).
 */

/** The languages a reply can be checked to be written in. */
export const SCENARIO_LANGUAGES = ['en', 'es', 'fr', 'de'] as const;

/** A language a reply can be checked to be written in. */
export type ScenarioLanguage = (typeof SCENARIO_LANGUAGES)[number];

/** The modes a scenario can be limited to. */
export const SCENARIO_MODES = ['routed', 'scripted', 'local'] as const;

/** What one turn must do. */
export interface TurnExpectation {
  /** The agent that should answer. */
  readonly agent?: string;
  /**
   * Tools that must be called, with the arguments that matter (others are ignored); an empty list
   * means no tool may run at all.
   */
  readonly tools?: readonly { readonly name: string; readonly args?: Readonly<Record<string, unknown>> }[];
  /**
   * Tools that must NOT take effect in this turn: a call that ran counts, and so does one waiting for
   * approval; one the runtime stopped or the tool declined (`ok: false`) does not.
   */
  readonly forbidTools?: readonly string[];
  /** Substrings the reply must contain (case-insensitive). */
  readonly contains?: readonly string[];
  /** Substrings the reply must not contain (case-insensitive). */
  readonly excludes?: readonly string[];
  /** Same as `excludes` (both are checked). */
  readonly notContains?: readonly string[];
  /** Whether the turn hands the conversation to a person. */
  readonly escalated?: boolean;
  /** Whether a person must approve a call before it runs. */
  readonly approvalRequested?: boolean;
  /** Whether a tool or guard declined what was asked. */
  readonly refused?: boolean;
  /** The language the reply must be written in. */
  readonly language?: ScenarioLanguage;
  /**
   * The manual the reply must answer from: a substring of the source of every manual the reply
   * cites (at least one must be cited), e.g. `nova-r7-router`.
   */
  readonly manual?: string;
  /** The turn must be rejected with this stable error code (e.g. `empty_message`), not answered. */
  readonly error?: string;
  /** Whether the conversation is then on the operators' approvals list (`/v1/support/approvals`). */
  readonly approvalListed?: boolean;
}

/** The operator actions: inbox actions on the latest escalation, or a decision on its waiting approval. */
export const OPERATOR_ACTIONS = ['claim', 'reply', 'hand-back', 'close', 'approve', 'reject'] as const;

/**
 * What an operator does: `claim`, `reply`, `hand-back` and `close` act in the inbox on the
 * conversation's latest escalation; `approve` and `reject` decide the conversation's request on the
 * approvals page, and their expectation checks what the customer is then told.
 */
export interface OperatorAction {
  readonly action: (typeof OPERATOR_ACTIONS)[number];
  /** The operator's message (`reply`). */
  readonly text?: string;
}

/** One turn: a customer message, or an operator action on the conversation. */
export interface ScenarioTurn {
  /** The customer's message (absent for an operator turn). */
  readonly user?: string;
  /**
   * An operator action instead of a customer message; its expectation may only use `error`, except
   * for `approve` and `reject`, whose result is checked like a turn.
   */
  readonly operator?: OperatorAction;
  /**
   * What the scripted model double does on this turn when it differs from the expectation: the tools
   * it tries to call (to show the runtime, not the model, keeps a rule, e.g. no refund without a
   * confirmation turn). Ignored by the `routed` and `local` modes.
   */
  readonly model?: {
    readonly tools: readonly { readonly name: string; readonly args?: Readonly<Record<string, unknown>> }[];
  };
  /**
   * The customer starts a new conversation with this turn (the same customer; limits that count per
   * customer or session must carry over).
   */
  readonly newConversation?: boolean;
  readonly expect: TurnExpectation;
}

/** A scripted conversation. */
export interface Scenario {
  readonly id: string;
  /** The subject area (orders, returns, faq...); kept for older files. */
  readonly topic: string;
  /** What kind of behaviour it checks; pass rates are reported per category (default: `topic`). */
  readonly category?: string;
  /** The modes it applies to (default: every mode). */
  readonly modes?: readonly (typeof SCENARIO_MODES)[number][];
  /** Why it exists or what it guards against, for the reader. */
  readonly note?: string;
  readonly turns: readonly ScenarioTurn[];
}

/** A scenario's category for reports. */
export function categoryOf(scenario: Pick<Scenario, 'category' | 'topic'>): string {
  return scenario.category ?? scenario.topic;
}
