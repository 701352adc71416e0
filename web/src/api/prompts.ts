/** The prompt registry and prompt experiments (admins). */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/** A prompt with its newest version and where its labels point (`{production: 3, staging: 4}`). */
export type PromptSummary = ApiResponse<'get /v1/prompts'>['prompts'][number];

/** One prompt with its versions. */
export type PromptDetail = ApiResponse<'get /v1/prompts/{name}'>['prompt'];

/** One immutable version. */
export type PromptVersion = ApiResponse<'get /v1/prompts/{name}/versions/{version}'>['version'];

/** A label move (promote or roll back). */
export type LabelMove = ApiResponse<'post /v1/prompts/{name}/promote'>;

/** An experiment: traffic on a prompt split between versions. */
export type Experiment = ApiResponse<'get /v1/experiments/{id}'>['experiment'];

/** Per-arm outcomes with tests against the control arm. */
export type ExperimentResults = ApiResponse<'get /v1/experiments/{id}/results'>;

/** The tenant's prompts. */
export async function listPrompts(client: ApiClient): Promise<readonly PromptSummary[]> {
  return (await client.json<ApiResponse<'get /v1/prompts'>>('/v1/prompts')).prompts;
}

/** One prompt with its versions. */
export async function getPrompt(client: ApiClient, name: string): Promise<PromptDetail> {
  return (await client.json<ApiResponse<'get /v1/prompts/{name}'>>(`/v1/prompts/${encodeURIComponent(name)}`))
    .prompt;
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
export async function listExperiments(client: ApiClient): Promise<readonly Experiment[]> {
  return (await client.json<ApiResponse<'get /v1/experiments'>>('/v1/experiments')).experiments;
}

/** An experiment's results. */
export function experimentResults(client: ApiClient, id: string): Promise<ExperimentResults> {
  return client.json(`/v1/experiments/${encodeURIComponent(id)}/results`);
}

/** Stops an experiment; its results stay. */
export async function stopExperiment(client: ApiClient, id: string): Promise<Experiment> {
  const path = `/v1/experiments/${encodeURIComponent(id)}/stop`;
  return (await client.json<ApiResponse<'post /v1/experiments/{id}/stop'>>(path, { method: 'POST' }))
    .experiment;
}
