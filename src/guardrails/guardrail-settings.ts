/**
 * @module guardrails/guardrail-settings
 * A tenant's guardrail actions: the configured defaults (`guardrails.moderation.actions`,
 * `guardrails.stereotyping.action`) merged with the overrides its admin stored. The moderation and
 * stereotyping guardrails read them per request through `actionsFor`, which keeps each tenant's
 * answer for `guardrails.settingsCacheSeconds`; a change made in this process applies at once, one
 * made by another process (the CLI, another server) within that time. No restart either way.
 */
import { z } from 'zod';
import type { GuardrailsConfig } from '../config/config.ts';
import { DEFAULT_MODERATION_ACTIONS, moderationActionsSchema } from '../config/guardrails-config.ts';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import { AuditLog } from '../identity/audit.ts';
import { logger } from '../observability/logger.ts';
import { type GuardrailActionSource, type GuardrailActions, MODERATION_ACTIONS } from '../spec/moderation.ts';
import type { Database } from '../store/database.ts';
import { tenantExists } from '../store/documents.ts';
import { readGuardrailSettings, writeGuardrailSettings } from '../store/guardrail-settings.ts';

/** What a tenant may override (`PUT /v1/admin/guardrails`); everything left out follows the defaults. */
export const guardrailOverridesSchema = z
  .object({
    moderation: moderationActionsSchema.optional(),
    stereotyping: z.enum(MODERATION_ACTIONS).optional(),
  })
  .strict();

/** A tenant's overrides. */
export type GuardrailOverrides = z.infer<typeof guardrailOverridesSchema>;

/** A tenant's settings as the admin route and the CLI show them. */
export interface GuardrailSettingsView {
  readonly tenantId: string;
  /** From the configuration, the same for every tenant. */
  readonly defaults: GuardrailActions;
  /** What this tenant changed (empty when nothing). */
  readonly overrides: GuardrailOverrides;
  /** What applies: the defaults with the overrides on top. */
  readonly effective: GuardrailActions;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** The defaults every tenant starts from. */
export function defaultGuardrailActions(config: GuardrailsConfig): GuardrailActions {
  return {
    moderation: { ...DEFAULT_MODERATION_ACTIONS, ...config.moderation.actions },
    stereotyping: config.stereotyping.action,
  };
}

/** Options that tests set. */
export interface GuardrailSettingsOptions {
  /** How long a tenant's actions are kept before the database is read again; default 5 s. */
  readonly cacheMs?: number;
  /** Milliseconds since the epoch; injectable so cache tests need no waiting. */
  readonly now?: () => number;
}

/** Reads and changes tenants' guardrail actions. */
export class GuardrailSettingsService implements GuardrailActionSource {
  private readonly cache = new Map<string, { actions: GuardrailActions; until: number }>();
  private readonly audit: AuditLog;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly defaults: GuardrailActions,
    options: GuardrailSettingsOptions = {},
  ) {
    this.audit = new AuditLog(db);
    this.cacheMs = options.cacheMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** The actions that apply to `tenantId` now. */
  async actionsFor(tenantId: string): Promise<GuardrailActions> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > this.now()) return cached.actions;
    const actions = (await this.get(tenantId)).effective;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tenantId, { actions, until: this.now() + this.cacheMs });
    return actions;
  }

  /** Defaults, overrides and what applies, for the tenant's admin. */
  async get(tenantId: string): Promise<GuardrailSettingsView> {
    const row = await readGuardrailSettings(this.db, tenantId);
    const parsed = guardrailOverridesSchema.safeParse(row?.overrides ?? {});
    if (!parsed.success) {
      // A row another version wrote that this one cannot read: the defaults apply, and it is said.
      logger.warn(
        { tenantId, issues: parsed.error.issues },
        'Stored guardrail settings are invalid; using the defaults.',
      );
    }
    const overrides = parsed.success ? parsed.data : {};
    return {
      tenantId,
      defaults: this.defaults,
      overrides,
      effective: merge(this.defaults, overrides),
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
    };
  }

  /**
   * Replaces the tenant's overrides (`{}` returns to the defaults); audited with `actor`. Invalid
   * settings are `invalid_guardrail_settings`, an unknown tenant `tenant_not_found`.
   */
  async set(tenantId: string, overrides: unknown, actor: string): Promise<GuardrailSettingsView> {
    const parsed = guardrailOverridesSchema.safeParse(overrides);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
      );
      throw new InvalidRequestError(
        'invalid_guardrail_settings',
        `Invalid guardrail settings: ${problems.join('; ')}. Actions are ${MODERATION_ACTIONS.join(', ')}.`,
        { issues: problems },
      );
    }
    if (!(await tenantExists(this.db, tenantId)))
      throw new NotFoundError('tenant_not_found', `There is no tenant ${tenantId}.`);
    const before = await readGuardrailSettings(this.db, tenantId);
    await this.db.transaction(async (tx) => {
      await writeGuardrailSettings(tx, tenantId, parsed.data, actor);
      await this.audit.record(
        {
          tenantId,
          actor,
          action: 'guardrails.settings.update',
          details: { before: before?.overrides ?? {}, after: parsed.data },
        },
        tx,
      );
    });
    this.cache.delete(tenantId);
    return this.get(tenantId);
  }
}

function merge(defaults: GuardrailActions, overrides: GuardrailOverrides): GuardrailActions {
  const moderation = { ...defaults.moderation };
  for (const [category, action] of Object.entries(overrides.moderation ?? {})) {
    if (action) moderation[category as keyof typeof moderation] = action;
  }
  // Whatever was stored, sexual content involving minors is blocked.
  moderation['sexual-minors'] = 'block';
  return { moderation, stereotyping: overrides.stereotyping ?? defaults.stereotyping };
}
