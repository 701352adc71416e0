/** The prompt registry and prompt experiments (admins). Mirrors src/prompts/*.ts. */
import type { ApiClient } from './http.ts';

/** A prompt with its newest version and where its labels point. */
export interface PromptSummary {
  readonly name: string;
  readonly description: string | null;
  readonly latestVersion: number;
  /** Label → version, e.g. `{production: 3, staging: 4}`. */
  readonly labels: Record<string, number>;
}

/** One immutable version. */
export interface PromptVersion {
  readonly name: string;
  readonly version: number;
  readonly template: string;
  readonly variables: readonly { readonly name: string; readonly type: string }[];
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** A label move (promote or roll back). */
export interface LabelMove {
  readonly label: string;
  readonly version: number;
  readonly previousVersion: number | null;
}

/** An experiment: traffic on a prompt split between versions. */
export interface Experiment {
  readonly id: string;
  readonly name: string;
  readonly promptName: string;
  readonly arms: readonly { readonly name: string; readonly version: number; readonly weight: number }[];
  readonly status: 'running' | 'stopped';
  readonly createdAt: string;
  readonly stoppedAt: string | null;
}

/** A significance test's outcome. */
export interface Test {
  readonly pValue: number | null;
}

/** Per-arm outcomes with tests against the control arm. */
export interface ExperimentResults {
  readonly experiment: Experiment;
  readonly arms: readonly {
    readonly arm: string;
    readonly version: number;
    readonly answers: number;
    readonly users: number;
    readonly positiveRate: number | null;
    readonly feedbackRate: number | null;
    readonly groundedRate: number | null;
    readonly latencyP50Ms: number | null;
    readonly tokensPerAnswer: number | null;
    readonly costUsd: number;
  }[];
  readonly comparisons: readonly {
    readonly arm: string;
    readonly control: string;
    readonly positiveRate: Test;
    readonly groundedRate: Test;
    readonly latency: Test;
  }[];
  readonly notes: readonly string[];
}

/** The tenant's prompts. */
export async function listPrompts(client: ApiClient): Promise<PromptSummary[]> {
  return (await client.json<{ prompts: PromptSummary[] }>('/v1/prompts')).prompts;
}

/** One prompt with its versions. */
export async function getPrompt(
  client: ApiClient,
  name: string,
): Promise<PromptSummary & { versions: PromptVersion[] }> {
  return (
    await client.json<{ prompt: PromptSummary & { versions: PromptVersion[] } }>(
      `/v1/prompts/${encodeURIComponent(name)}`,
    )
  ).prompt;
}

/** Points `label` at `version`. */
export function promote(client: ApiClient, name: string, version: number, label: string): Promise<LabelMove> {
  return client.json(`/v1/prompts/${encodeURIComponent(name)}/promote`, { body: { version, label } });
}

/** Moves `label` back to where it pointed before its last move. */
export function rollback(client: ApiClient, name: string, label: string): Promise<LabelMove> {
  return client.json(`/v1/prompts/${encodeURIComponent(name)}/rollback`, { body: { label } });
}

/** The tenant's experiments, newest first. */
export async function listExperiments(client: ApiClient): Promise<Experiment[]> {
  return (await client.json<{ experiments: Experiment[] }>('/v1/experiments')).experiments;
}

/** An experiment's results. */
export function experimentResults(client: ApiClient, id: string): Promise<ExperimentResults> {
  return client.json(`/v1/experiments/${encodeURIComponent(id)}/results`);
}

/** Stops an experiment; its results stay. */
export async function stopExperiment(client: ApiClient, id: string): Promise<Experiment> {
  const path = `/v1/experiments/${encodeURIComponent(id)}/stop`;
  return (await client.json<{ experiment: Experiment }>(path, { method: 'POST' })).experiment;
}
