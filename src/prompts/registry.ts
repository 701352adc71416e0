/**
 * @module prompts/registry
 * The prompt registry: named prompts per tenant, immutable numbered versions with declared variables,
 * and labels (`production`, `staging`, or any other) that point at versions. Promoting moves a label;
 * rolling back moves it to where it pointed before its last move. The built-in prompts are seeded as
 * version 1, labelled `production`, the first time a tenant's registry is used. Label lookups are
 * cached briefly; a move in this process clears the cache at once, other processes see it within
 * `cacheMs`.
 */
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { ensureTenant } from '../store/documents.ts';
import {
  getLabel,
  getVersion,
  insertPrompt,
  insertVersion,
  labelHistory,
  listPrompts,
  listVersions,
  lockLatestVersion,
  moveLabel,
  type PromptSummary,
  type PromptVersionRow,
} from '../store/prompts.ts';
import { BUILTIN_PROMPTS, builtinPrompt } from './builtin.ts';
import { parseGenerationSettings } from './generation-settings.ts';
import { checkTemplate, type PromptVariable } from './template.ts';

/** The label the answerer renders. */
export const PRODUCTION_LABEL = 'production';

/** `rag.system`, `agent.triage`: dot-separated lowercase words. */
export const PROMPT_NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
/** `production`, `staging`, `canary-2`. */
export const LABEL_NAME = /^[a-z][a-z0-9_-]*$/;

/** A new version. */
export interface NewPromptVersion {
  readonly name: string;
  readonly template: string;
  readonly variables?: readonly PromptVariable[];
  readonly description?: string;
  readonly note?: string;
  /** Sampling settings stored with the version (checked: `invalid_generation_settings`). */
  readonly generation?: unknown;
}

/** A prompt with its versions (newest first) and labels. */
export interface PromptDetail extends PromptSummary {
  readonly versions: readonly PromptVersionRow[];
}

/** The registry service. */
export class PromptRegistry {
  private readonly seeded = new Set<string>();
  private readonly cache = new Map<string, { version: PromptVersionRow; until: number }>();
  /** Versions are immutable, so they are cached without expiry. */
  private readonly versions = new Map<string, PromptVersionRow>();

  constructor(
    private readonly db: Database,
    private readonly options: { readonly cacheMs?: number; readonly now?: () => number } = {},
  ) {}

  /** Every prompt of the tenant. */
  async list(tenantId: string): Promise<PromptSummary[]> {
    await this.seed(tenantId);
    return listPrompts(this.db, tenantId);
  }

  /** One prompt with its versions and labels; `prompt_not_found` when there is none. */
  async show(tenantId: string, name: string): Promise<PromptDetail> {
    await this.seed(tenantId);
    const summary = (await listPrompts(this.db, tenantId)).find((prompt) => prompt.name === name);
    if (!summary) throw promptNotFound(name);
    return { ...summary, versions: await listVersions(this.db, tenantId, name) };
  }

  /** One version; `prompt_version_not_found` when it does not exist. */
  async version(tenantId: string, name: string, version: number): Promise<PromptVersionRow> {
    const key = JSON.stringify([tenantId, name, version]);
    const cached = this.versions.get(key);
    if (cached) return cached;
    await this.seed(tenantId);
    const row = await getVersion(this.db, tenantId, name, version);
    if (!row) {
      if (!(await getVersion(this.db, tenantId, name, 1))) throw promptNotFound(name);
      throw versionNotFound(name, version);
    }
    if (this.versions.size > 10_000) this.versions.clear();
    this.versions.set(key, row);
    return row;
  }

  /** The version `label` points at (cached); `prompt_label_not_found` when the label does not exist. */
  async resolve(tenantId: string, name: string, label: string = PRODUCTION_LABEL): Promise<PromptVersionRow> {
    const key = JSON.stringify([tenantId, name, label]);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.version;
    await this.seed(tenantId);
    const number = await getLabel(this.db, tenantId, name, label);
    if (number === undefined) {
      if (!(await getVersion(this.db, tenantId, name, 1))) throw promptNotFound(name);
      throw new NotFoundError('prompt_label_not_found', `The prompt ${name} has no label ${label}.`);
    }
    const version = await this.version(tenantId, name, number);
    this.cache.set(key, { version, until: now + (this.options.cacheMs ?? 30_000) });
    return version;
  }

  /** Adds the next version of `name` (creating the prompt when new). */
  async create(tenantId: string, request: NewPromptVersion, actor: string): Promise<PromptVersionRow> {
    if (!PROMPT_NAME.test(request.name) || request.name.length > 100) {
      throw new InvalidRequestError(
        'invalid_prompt_name',
        'A prompt name is lowercase words separated by dots, e.g. rag.system or agent.triage.',
      );
    }
    const variables = request.variables ?? [];
    checkTemplate(request.template, variables);
    const generation = parseGenerationSettings(request.generation);
    const builtin = builtinPrompt(request.name);
    if (builtin) {
      const available = new Set(builtin.available.map((variable) => variable.name));
      const unavailable = variables.filter((variable) => !available.has(variable.name));
      if (unavailable.length > 0) {
        throw new InvalidRequestError(
          'prompt_variable_unavailable',
          `${request.name} is rendered with ${[...available].join(', ')} only; it cannot supply ${unavailable.map((variable) => variable.name).join(', ')}.`,
        );
      }
    }
    await this.seed(tenantId);
    return this.db.transaction(async (tx) => {
      await insertPrompt(tx, tenantId, request.name, request.description ?? null);
      const version = (await lockLatestVersion(tx, tenantId, request.name)) + 1;
      const row = {
        name: request.name,
        version,
        template: request.template,
        variables,
        note: request.note ?? null,
        createdBy: actor,
        generation,
      };
      await insertVersion(tx, tenantId, row);
      return (await getVersion(tx, tenantId, request.name, version))!;
    });
  }

  /** Points `label` at `version`. */
  async promote(
    tenantId: string,
    name: string,
    version: number,
    label: string,
    actor: string,
  ): Promise<{ label: string; version: number; previousVersion: number | null }> {
    if (!LABEL_NAME.test(label) || label.length > 50) {
      throw new InvalidRequestError(
        'invalid_label',
        'A label is one lowercase word, e.g. production or staging.',
      );
    }
    await this.version(tenantId, name, version);
    const previous = (await getLabel(this.db, tenantId, name, label)) ?? null;
    await this.db.transaction((tx) => moveLabel(tx, tenantId, { name, label, version, previous, actor }));
    this.cache.clear();
    return { label, version, previousVersion: previous };
  }

  /**
   * Moves `label` back to the version it pointed at before its last move. Rolling back twice returns
   * to where it started (a rollback is itself a move); `prompt_rollback_unavailable` when the label
   * has never pointed elsewhere.
   */
  async rollback(
    tenantId: string,
    name: string,
    label: string,
    actor: string,
  ): Promise<{ label: string; version: number; previousVersion: number | null }> {
    await this.resolve(tenantId, name, label);
    const last = (await labelHistory(this.db, tenantId, name, label))[0];
    if (last?.previousVersion === null || last?.previousVersion === undefined) {
      throw new InvalidRequestError(
        'prompt_rollback_unavailable',
        `The label ${label} of ${name} has never pointed at another version.`,
      );
    }
    return this.promote(tenantId, name, last.previousVersion, label, actor);
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }

  /** Seeds the built-in prompts once per tenant and process (idempotent across processes). */
  private async seed(tenantId: string): Promise<void> {
    if (this.seeded.has(tenantId)) return;
    await this.db.transaction(async (tx) => {
      await ensureTenant(tx, tenantId);
      for (const prompt of BUILTIN_PROMPTS) {
        await insertPrompt(tx, tenantId, prompt.name, prompt.description);
        const row = { ...prompt, version: 1, note: 'Seeded from the built-in prompt.', createdBy: 'system' };
        if (await insertVersion(tx, tenantId, row)) {
          await moveLabel(tx, tenantId, {
            name: prompt.name,
            label: PRODUCTION_LABEL,
            version: 1,
            previous: null,
            actor: 'system',
          });
        }
      }
    });
    this.seeded.add(tenantId);
  }
}

function promptNotFound(name: string) {
  return new NotFoundError('prompt_not_found', `There is no prompt ${name}.`);
}

function versionNotFound(name: string, version: number) {
  return new NotFoundError('prompt_version_not_found', `The prompt ${name} has no version ${version}.`);
}
