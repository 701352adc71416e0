/**
 * @module cli/context
 * Opens the product for one CLI command and closes it afterwards, whatever happens.
 */
import type { Command } from 'commander';
import type { Groundwork, GroundworkServices } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';

/**
 * Runs `fn` with an open product; the tenant comes from `--tenant` or the config. Commands get its
 * services, not its database: the SQL belongs to the services (the same ones the HTTP API uses).
 */
export function withGroundwork<T>(
  command: Command,
  fn: (app: GroundworkServices, tenantId: string) => Promise<T>,
  overrides: ConfigInput = {},
): Promise<T> {
  return withAppStore(
    command,
    async () => undefined,
    (app, _store, tenantId) => fn(app, tenantId),
    overrides,
  );
}

/**
 * `withGroundwork` for an app's commands: `open`, the app's own composition (such as the support
 * app's `openSupportStore`, which owns the app's tables), gets the whole product; the command gets
 * the services and what `open` returned.
 */
export async function withAppStore<S, T>(
  command: Command,
  open: (app: Groundwork) => Promise<S>,
  fn: (app: GroundworkServices, store: S, tenantId: string) => Promise<T>,
  overrides: ConfigInput = {},
): Promise<T> {
  const config = loadConfig(overrides);
  // Imported here, not at the top: commands that need only this module's helpers stay light.
  const { createGroundwork } = await import('../app.ts');
  const app = await createGroundwork(config);
  const tenant = (command.optsWithGlobals().tenant as string | undefined) ?? config.defaultTenant;
  try {
    return await fn(app, await open(app), tenant);
  } finally {
    await app.close();
  }
}

/** Prints JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
