/**
 * @module support/scenarios/scenario
 * The scenario format: a scripted conversation with, per customer turn, the expected route, tool
 * calls and outcome. Scenarios are JSON files in this folder, so the policy runner here and (later)
 * the agent runtime with a scripted model check the same expectations.
 */

/** What one turn must do. */
export interface TurnExpectation {
  /** The agent that should answer. */
  readonly agent?: string;
  /** Tools that must be called, with the arguments that matter (others are ignored). */
  readonly tools?: readonly { readonly name: string; readonly args?: Readonly<Record<string, unknown>> }[];
  /** Substrings the reply must contain (case-insensitive). */
  readonly contains?: readonly string[];
  /** Substrings the reply must not contain. */
  readonly excludes?: readonly string[];
  readonly escalated?: boolean;
  readonly approvalRequested?: boolean;
  readonly refused?: boolean;
}

/** One customer turn. */
export interface ScenarioTurn {
  readonly user: string;
  readonly expect: TurnExpectation;
}

/** A scripted conversation. */
export interface Scenario {
  readonly id: string;
  readonly topic: string;
  readonly turns: readonly ScenarioTurn[];
}
