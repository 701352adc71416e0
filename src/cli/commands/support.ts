/**
 * @module cli/commands/support
 * `groundwork support [serve]`: the server with the support app (support-serve.ts).
 * `groundwork support eval`: the support app's scenario suite, in the no-LLM `routed` mode and on the
 * agent runtime with a `scripted` model double (both by default) or the `local` chat model, each on its
 * own seeded in-memory database.
 * `groundwork support lockouts list|clear`: verification lockouts (support-lockouts.ts).
 */
import type { Command } from 'commander';
import {
  DEFAULT_EVAL_MODES,
  EVAL_MODES,
  type EvalMode,
  evaluateSupport,
} from '../../../apps/support/scenarios/evaluate.ts';
import { InvalidRequestError } from '../../errors.ts';
import { printJson } from '../context.ts';
import { registerSupportLockoutsCommand } from './support-lockouts.ts';
import { runSupportServer, type SupportServeOptions } from './support-serve.ts';

interface EvalOptions {
  json?: boolean;
  mode: string;
  scenarios?: string;
  limit?: string;
}

/** Registers `support` and its subcommands. */
export function registerSupportCommand(program: Command): Command {
  const support = program.command('support').description('the customer-support reference app');
  support
    .command('serve', { isDefault: true })
    .description('serve the support app: knowledge ingested, orders seeded, support routes mounted')
    .option('--port <port>', 'port to listen on (0: any free port)', process.env.PORT ?? '8787')
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option(
      '--insecure-open',
      'listen on a non-loopback address even with auth off (GROUNDWORK_INSECURE_OPEN=1)',
    )
    .action((options: SupportServeOptions) => runSupportServer(options));
  support
    .command('eval')
    .description('run the support scenarios and print the pass rate per mode')
    .option('--mode <mode>', `${EVAL_MODES.join(', ')} or all (${DEFAULT_EVAL_MODES.join(' and ')})`, 'all')
    .option('--scenarios <ids>', 'comma-separated scenario ids (default: every scenario)')
    .option(
      '--limit <n>',
      'only n scenarios, spread evenly over the suite (the local model is slow on a CPU)',
    )
    .option('--json', 'print a machine-readable report')
    .action(async (options: EvalOptions) => {
      const modes = modesOf(options.mode);
      const ids = options.scenarios
        ?.split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const limit = limitOf(options.limit);
      const reports = await evaluateSupport({
        modes,
        ...(ids ? { ids } : {}),
        ...(limit === undefined ? {} : { limit }),
        // The local model takes minutes: say how far it got (stderr, so --json stays clean).
        onScenario: (mode, result, index, total) => {
          if (mode === 'local')
            process.stderr.write(
              `  ${mode} ${index + 1}/${total} ${result.passed ? 'pass' : 'FAIL'} ${result.id}\n`,
            );
        },
      });
      if (options.json) {
        printJson({ modes: reports });
        return;
      }
      for (const report of reports) {
        process.stdout.write(
          `${report.mode}: ${report.passed}/${report.total} scenarios passed (${(report.passRate * 100).toFixed(1)}%) in ${(report.durationMs / 1000).toFixed(1)} s\n`,
        );
        for (const failure of report.failures) {
          process.stdout.write(
            `  FAIL ${failure.id}\n${failure.problems.map((problem) => `       ${problem}\n`).join('')}`,
          );
        }
      }
    });
  registerSupportLockoutsCommand(support);
  return support;
}

function limitOf(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(limit))
    throw new InvalidRequestError('invalid_limit', `--limit must be a positive integer, not "${limit}".`);
  return Number(limit);
}

function modesOf(mode: string): EvalMode[] {
  if (mode === 'all') return [...DEFAULT_EVAL_MODES];
  const found = EVAL_MODES.find((candidate) => candidate === mode);
  if (!found)
    throw new InvalidRequestError(
      'invalid_mode',
      `--mode must be ${EVAL_MODES.join(', ')} or all, not "${mode}".`,
    );
  return [found];
}
