/**
 * @module cli/context
 * Opens the product for one CLI command and closes it afterwards, whatever happens.
 */
import type { Command } from 'commander';
import { createGroundwork, type Groundwork } from '../app.ts';
import { type ConfigInput, loadConfig } from '../config/config.ts';

/** Runs `fn` with an open product; the tenant comes from `--tenant` or the config. */
export async function withGroundwork<T>(
  command: Command,
  fn: (app: Groundwork, tenantId: string) => Promise<T>,
  overrides: ConfigInput = {},
): Promise<T> {
  const config = loadConfig(overrides);
  const app = await createGroundwork(config);
  const tenant = (command.optsWithGlobals().tenant as string | undefined) ?? config.defaultTenant;
  try {
    return await fn(app, tenant);
  } finally {
    await app.close();
  }
}

/** Prints JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
