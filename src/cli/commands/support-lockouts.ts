/**
 * @module cli/commands/support-lockouts
 * `groundwork support lockouts list|clear`: the support app's verification lockouts for the operator
 * at the machine (ADR 0030). `list` shows what refuses verification now (`--all`: every subject with
 * failures on record); `clear <id>` forgets one subject's failures, audited with actor `cli`. Both
 * act in any tenant unless `--tenant` is given.
 */
import type { Command } from 'commander';
import { openSupportStore } from '../../../apps/support/store/open-store.ts';
import type { Lockout } from '../../../apps/support/verification/lockouts.ts';
import { printJson, withAppStore } from '../context.ts';
import { explicitTenant } from './keys.ts';

/** Registers `lockouts` under `support`. */
export function registerSupportLockoutsCommand(support: Command): void {
  const lockouts = support
    .command('lockouts')
    .description('verification lockouts of the support app (list, clear)');
  lockouts
    .command('list')
    .description('subjects refusing verification now: conversations, sessions, keys and customers')
    .option('--all', 'also subjects with failures that refuse nothing yet')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      await withAppStore(command, openSupportStore, async (_app, store) => {
        const list = await store.lockouts.list(explicitTenant(command), { all: options.all === true });
        if (options.json) return printJson(list);
        if (list.length === 0) process.stdout.write('no verification lockouts\n');
        for (const lockout of list) process.stdout.write(`${describe(lockout)}\n`);
      });
    });
  lockouts
    .command('clear')
    .description('clear one lockout: its failures are forgotten (audited)')
    .argument('<id>', 'lockout id, from the list')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withAppStore(command, openSupportStore, async (_app, store) => {
        const cleared = await store.lockouts.clear(explicitTenant(command), id, { actor: 'cli' });
        if (options.json) return printJson(cleared);
        process.stdout.write(`cleared ${describe(cleared)}\n`);
      });
    });
}

function describe(lockout: Lockout): string {
  const until =
    lockout.state === 'locked'
      ? ` until ${lockout.lockedUntil}`
      : lockout.state === 'waiting'
        ? ` until ${lockout.retryAt}`
        : '';
  return `${lockout.id}  ${lockout.tenantId}  ${lockout.dimension} ${lockout.subject}  ${lockout.failures} failure(s), ${lockout.state}${until}`;
}
