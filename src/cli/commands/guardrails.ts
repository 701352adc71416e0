/**
 * @module cli/commands/guardrails
 * `groundwork guardrails show|set`: a tenant's guardrail actions for the operator at the machine, the
 * same settings as `GET/PUT /v1/admin/guardrails`. `set hate=log harassment=escalate` changes the
 * named categories and keeps the rest; `--reset` returns to the defaults. Audited with actor `cli`.
 * A running server picks a change up within `guardrails.settingsCacheSeconds`, without a restart.
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import type { GuardrailOverrides, GuardrailSettingsView } from '../../guardrails/guardrail-settings.ts';
import { MODERATION_CATEGORIES } from '../../spec/moderation.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerGuardrailsCommand(program: Command): void {
  const guardrails = program
    .command('guardrails')
    .description("a tenant's moderation and stereotyping actions (show, set)");
  guardrails
    .command('show')
    .description('the defaults, the tenant’s overrides and what applies')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) =>
        print(await app.guardrailSettings.get(tenantId), options.json),
      );
    });
  guardrails
    .command('set')
    .description('set actions: category=block|escalate|log (stereotyping=… too); the rest stay as they are')
    .argument('[assignments...]', 'e.g. hate=log harassment=escalate stereotyping=log')
    .option('--reset', 'drop every override first (back to the defaults)')
    .option('--json', 'print JSON')
    .action(async (assignments: string[], options: { reset?: boolean; json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const current = options.reset ? {} : (await app.guardrailSettings.get(tenantId)).overrides;
        const next = applyAssignments(current, assignments);
        print(await app.guardrailSettings.set(tenantId, next, 'cli'), options.json);
      });
    });
}

/**
 * The overrides after `name=action` assignments; validation of the actions is the service's.
 *
 * @example
 * applyAssignments({}, ['hate=log']); // { moderation: { hate: 'log' } }
 */
export function applyAssignments(
  current: GuardrailOverrides,
  assignments: readonly string[],
): Record<string, unknown> {
  const moderation: Record<string, string> = { ...(current.moderation ?? {}) };
  let stereotyping: string | undefined = current.stereotyping;
  for (const assignment of assignments) {
    const [name, action, ...rest] = assignment.split('=');
    if (!name || !action || rest.length > 0) {
      throw new InvalidRequestError(
        'invalid_guardrail_settings',
        `"${assignment}" is not category=action, e.g. hate=log.`,
      );
    }
    if (name === 'stereotyping') stereotyping = action;
    else if ((MODERATION_CATEGORIES as readonly string[]).includes(name)) moderation[name] = action;
    else {
      throw new InvalidRequestError(
        'invalid_guardrail_settings',
        `Unknown category "${name}": use one of ${MODERATION_CATEGORIES.join(', ')}, or stereotyping.`,
      );
    }
  }
  return {
    ...(Object.keys(moderation).length > 0 ? { moderation } : {}),
    ...(stereotyping ? { stereotyping } : {}),
  };
}

function print(view: GuardrailSettingsView, json: boolean | undefined): void {
  if (json) {
    printJson(view);
    return;
  }
  const changed = (category: string) =>
    (view.overrides.moderation as Record<string, string> | undefined)?.[category] ? ' (tenant)' : '';
  process.stdout.write(`tenant ${view.tenantId}\n`);
  for (const [category, action] of Object.entries(view.effective.moderation))
    process.stdout.write(`  ${category.padEnd(14)} ${action}${changed(category)}\n`);
  process.stdout.write(
    `  ${'stereotyping'.padEnd(14)} ${view.effective.stereotyping}${view.overrides.stereotyping ? ' (tenant)' : ''}\n`,
  );
  if (view.updatedAt) process.stdout.write(`changed ${view.updatedAt} by ${view.updatedBy ?? 'unknown'}\n`);
}
