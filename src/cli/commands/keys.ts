/**
 * @module cli/commands/keys
 * `groundwork keys create|list|revoke|rotate|quota`: API key management for the operator at the
 * machine, who is trusted (any tenant; a tenant is created with its first key; only here can a
 * platform key be made). Secrets are printed once, on create and rotate, and are never stored or
 * shown again. Every change is audited with actor `cli`.
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import { parseDuration } from '../../identity/duration.ts';
import type { KeyQuota } from '../../identity/key-quotas.ts';
import type { ApiKey, IssuedKey } from '../../identity/keys.ts';
import { ROLES, type Role } from '../../identity/roles.ts';
import { printJson, withGroundwork } from '../context.ts';

const CLI_SCOPE = { actor: 'cli' } as const;

/** Registers the command. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys (create, list, revoke, rotate)');
  keys
    .command('create')
    .description('create an API key; its secret is printed once')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'customer')
    .option('--principal <principal...>', 'ACL principals the key acts as (user:alice, group:support)')
    .option('--expires-in <duration>', 'lifetime, e.g. 90d or 12h (default: no expiry)')
    .option('--platform', 'may scrape /metrics of every tenant (admin keys only)')
    .option('--quota-period <period>', 'quota period: day or month (UTC)')
    .option('--quota-requests <n>', 'requests allowed per quota period')
    .option('--quota-tokens <n>', 'answer tokens allowed per quota period')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          name: string;
          role: string;
          principal?: string[];
          expiresIn?: string;
          platform?: boolean;
          json?: boolean;
        } & QuotaOptions,
        command: Command,
      ) => {
        if (!(ROLES as readonly string[]).includes(options.role)) {
          throw new InvalidRequestError('invalid_role', `--role must be one of ${ROLES.join(', ')}.`);
        }
        const expiresInSeconds = options.expiresIn ? parseDuration(options.expiresIn) : undefined;
        const quota = quotaFrom(options);
        await withGroundwork(command, async (app, tenantId) => {
          const issued = await app.keys.create(
            {
              tenantId,
              name: options.name,
              role: options.role as Role,
              principals: options.principal ?? [],
              expiresInSeconds,
              platform: options.platform === true,
              quota,
            },
            CLI_SCOPE,
          );
          printIssued(issued, options.json);
        });
      },
    );
  keys
    .command('list')
    .description('list API keys (all tenants unless --tenant is given); never shows secrets')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app) => {
        const list = await app.keys.list(explicitTenant(command));
        if (options.json) return printJson(list);
        if (list.length === 0) process.stdout.write('no API keys (auth auto: the API is open)\n');
        for (const key of list) process.stdout.write(`${describeKey(key)}\n`);
      });
    });
  keys
    .command('revoke')
    .description('revoke an API key now')
    .argument('<id>', 'key id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app) => {
        const key = await app.keys.revoke(id, { ...CLI_SCOPE, tenantId: explicitTenant(command) });
        if (options.json) return printJson(key);
        process.stdout.write(`revoked ${describeKey(key)}\n`);
      });
    });
  keys
    .command('quota')
    .description('set a key’s quota (requests and/or answer tokens per day or month), or --clear it')
    .argument('<id>', 'key id')
    .option('--quota-period <period>', 'day or month (UTC)', 'month')
    .option('--quota-requests <n>', 'requests allowed per period')
    .option('--quota-tokens <n>', 'answer tokens allowed per period')
    .option('--clear', 'remove the quota')
    .option('--json', 'print JSON')
    .action(
      async (id: string, options: QuotaOptions & { clear?: boolean; json?: boolean }, command: Command) => {
        const quota = options.clear ? null : quotaFrom(options);
        if (quota === undefined) {
          throw new InvalidRequestError(
            'invalid_quota',
            'Give --quota-requests and/or --quota-tokens, or --clear.',
          );
        }
        await withGroundwork(command, async (app) => {
          const key = await app.keys.setQuota(id, quota, { ...CLI_SCOPE, tenantId: explicitTenant(command) });
          if (options.json) return printJson(key);
          process.stdout.write(`${describeKey(key)}\n`);
        });
      },
    );
  keys
    .command('rotate')
    .description('issue a new secret for a key; the old one is revoked now or after --grace')
    .argument('<id>', 'key id')
    .option('--grace <duration>', 'keep the old secret working this long, e.g. 1h')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { grace?: string; json?: boolean }, command: Command) => {
      const graceSeconds = options.grace ? parseDuration(options.grace) : 0;
      await withGroundwork(command, async (app) => {
        const issued = await app.keys.rotate(
          id,
          { ...CLI_SCOPE, tenantId: explicitTenant(command) },
          { graceSeconds },
        );
        printIssued(issued, options.json);
      });
    });
}

/** `--tenant` when given; undefined means every tenant (the operator's view). */
export function explicitTenant(command: Command): string | undefined {
  return command.optsWithGlobals().tenant as string | undefined;
}

function printIssued(issued: IssuedKey, json: boolean | undefined): void {
  if (json) {
    printJson(issued);
    return;
  }
  process.stdout.write(
    `${describeKey(issued.key)}\n\n  ${issued.secret}\n\n` +
      'Store this secret now: it is shown only once and cannot be recovered (rotate the key if it is lost).\n',
  );
}

interface QuotaOptions {
  readonly quotaPeriod?: string;
  readonly quotaRequests?: string;
  readonly quotaTokens?: string;
}

/** The quota the options describe, or undefined when they set no limit. */
function quotaFrom(options: QuotaOptions): KeyQuota | undefined {
  const count = (value: string | undefined, flag: string) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value))
      throw new InvalidRequestError('invalid_quota', `${flag} must be a whole number.`);
    return Number(value);
  };
  const requests = count(options.quotaRequests, '--quota-requests');
  const tokens = count(options.quotaTokens, '--quota-tokens');
  if (requests === undefined && tokens === undefined) {
    if (options.quotaPeriod) {
      throw new InvalidRequestError(
        'invalid_quota',
        'Give --quota-requests and/or --quota-tokens with --quota-period.',
      );
    }
    return undefined;
  }
  return {
    period: (options.quotaPeriod ?? 'month') as KeyQuota['period'],
    ...(requests !== undefined ? { requests } : {}),
    ...(tokens !== undefined ? { tokens } : {}),
  };
}

function describeQuota(key: ApiKey): string {
  if (!key.quota) return '';
  const used = key.usage;
  const parts = [
    key.quota.requests !== undefined
      ? `${used ? `${used.requests}/` : ''}${key.quota.requests} requests`
      : '',
    key.quota.tokens !== undefined ? `${used ? `${used.tokens}/` : ''}${key.quota.tokens} tokens` : '',
  ].filter(Boolean);
  const resets = used ? `, resets ${used.resetsAt}` : '';
  return `  quota: ${parts.join(', ')} per ${key.quota.period}${resets}`;
}

function describeKey(key: ApiKey): string {
  const state = key.revokedAt
    ? `revoked ${key.revokedAt}`
    : key.expiresAt
      ? `expires ${key.expiresAt}`
      : 'active';
  const principals = key.principals.length > 0 ? ` [${key.principals.join(', ')}]` : '';
  const platform = key.platform ? ' platform' : '';
  return `${key.id}  ${key.prefix}  ${key.tenantId}  ${key.role.padEnd(8)} ${key.name}${principals}  (${state}${platform})${describeQuota(key)}`;
}
