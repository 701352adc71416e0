/**
 * @module cli/commands/sessions
 * `groundwork sessions create|revoke`: customer sessions for the operator at the machine, e.g. to try
 * a chat widget or to sign a shopper out. `create` prints the token once; `revoke <id>` ends one
 * session and `revoke --key <keyId>` every live session a key issued (a leaked widget key). Revoking
 * works in any tenant unless `--tenant` is given. All are audited with actor `cli`.
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import { parseDuration } from '../../identity/duration.ts';
import type { CustomerSession, IssuedSession } from '../../identity/sessions.ts';
import { printJson, withGroundwork } from '../context.ts';
import { explicitTenant } from './keys.ts';

const CLI_SCOPE = { actor: 'cli' } as const;

/** Registers the command. */
export function registerSessionsCommand(program: Command): void {
  const sessions = program
    .command('sessions')
    .description('customer sessions for chat widgets (create, revoke)');
  sessions
    .command('create')
    .description('issue a customer session (anonymous unless --customer); its token is printed once')
    .option('--customer <id>', 'the verified customer the session acts for')
    .option('--email <email>', "the customer's email, kept with the session")
    .option('--ttl <duration>', 'lifetime, e.g. 15m or 12h (default: sessions.defaultTtlSeconds)')
    .option('--json', 'print JSON')
    .action(
      async (
        options: { customer?: string; email?: string; ttl?: string; json?: boolean },
        command: Command,
      ) => {
        const ttlSeconds = options.ttl ? parseDuration(options.ttl) : undefined;
        await withGroundwork(command, async (app, tenantId) => {
          const issued = await app.sessions.create(
            {
              tenantId,
              ...(options.customer
                ? {
                    customer: {
                      customerId: options.customer,
                      ...(options.email ? { email: options.email } : {}),
                    },
                  }
                : {}),
              ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
            },
            CLI_SCOPE,
          );
          printIssued(issued, options.json);
        });
      },
    );
  sessions
    .command('revoke')
    .description('revoke a customer session now, or with --key every live session a key issued')
    .argument('[id]', 'session id')
    .option('--key <keyId>', 'revoke every live session this API key issued (the key keeps working)')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, options: { key?: string; json?: boolean }, command: Command) => {
      if ((id === undefined) === (options.key === undefined)) {
        throw new InvalidRequestError(
          'invalid_arguments',
          'Name one session id, or --key <keyId> for every session a key issued.',
        );
      }
      await withGroundwork(command, async (app) => {
        if (options.key !== undefined) {
          const ended = await app.sessions.revokeIssuedBy(explicitTenant(command), options.key, CLI_SCOPE);
          if (options.json) return printJson(ended);
          process.stdout.write(`revoked ${ended.revoked} session(s) issued by key ${ended.keyId}\n`);
          return;
        }
        const session = await app.sessions.revoke(explicitTenant(command), id!, CLI_SCOPE);
        if (options.json) return printJson(session);
        process.stdout.write(`revoked ${describeSession(session)}\n`);
      });
    });
}

function printIssued(issued: IssuedSession, json: boolean | undefined): void {
  if (json) {
    printJson(issued);
    return;
  }
  process.stdout.write(
    `${describeSession(issued.session)}\n\n  ${issued.token}\n\n` +
      'Use it as Authorization: Bearer <token>; it is shown only once.\n',
  );
}

function describeSession(session: CustomerSession): string {
  const customer = session.customerId ? `customer ${session.customerId}` : 'anonymous';
  const state = session.revokedAt ? `revoked ${session.revokedAt}` : `expires ${session.expiresAt}`;
  return `${session.id}  ${session.tenantId}  ${customer}  (${state})`;
}
