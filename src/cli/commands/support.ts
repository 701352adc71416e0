/**
 * @module cli/commands/support
 * `groundwork support [serve]`: the server with the support app (support-serve.ts).
 * `groundwork support eval`: the support app's scenario suite, in the no-LLM `routed` mode and on the
 * agent runtime with a `scripted` model double (both by default) or the `local` chat model, each on its
 * own seeded in-memory database. It prints pass rates per mode and per scenario category, how each
 * mode compares with the checked-in baseline (`--check-baseline` fails on a regression,
 * `--update-baseline` rewrites it) and the intent router's figures on its test split.
 * `groundwork support lockouts list|clear`: verification lockouts (support-lockouts.ts).
 */
import type { Command } from 'commander';
import { loadBaseline, writeBaseline } from '../../../apps/support/scenarios/baseline.ts';
import {
  DEFAULT_EVAL_MODES,
  EVAL_MODES,
  type EvalMode,
  evaluateSupport,
} from '../../../apps/support/scenarios/evaluate.ts';
import { measureRouting } from '../../../apps/support/scenarios/routing-figures.ts';
import { InvalidRequestError } from '../../errors.ts';
import { printJson } from '../context.ts';
import { formatEvalReport } from './support-eval-report.ts';
import { registerSupportLockoutsCommand } from './support-lockouts.ts';
import { runSupportServer, type SupportServeOptions } from './support-serve.ts';

interface EvalOptions {
  json?: boolean;
  mode: string;
  scenarios?: string;
  limit?: string;
  updateBaseline?: boolean;
  checkBaseline?: boolean;
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
    .option(
      '--update-baseline',
      'rewrite apps/support/scenarios/baseline.json from this run (all scenarios, routed and scripted)',
    )
    .option('--check-baseline', 'exit with status 1 when a scenario of the baseline stops passing or is gone')
    .action(async (options: EvalOptions) => {
      const modes = modesOf(options.mode);
      const ids = options.scenarios
        ?.split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const limit = limitOf(options.limit);
      if (options.updateBaseline && (ids || limit !== undefined || options.mode !== 'all'))
        throw new InvalidRequestError(
          'baseline_needs_full_run',
          '--update-baseline records a full run: drop --scenarios, --limit and --mode.',
        );
      const reports = await evaluateSupport({
        modes,
        ...(ids ? { ids } : {}),
        ...(limit === undefined ? {} : { limit }),
        baseline: await loadBaseline(),
        // The local model takes minutes: say how far it got (stderr, so --json stays clean).
        onScenario: (mode, result, index, total) => {
          if (mode === 'local')
            process.stderr.write(
              `  ${mode} ${index + 1}/${total} ${result.passed ? 'pass' : 'FAIL'} ${result.id}\n`,
            );
        },
      });
      const routing = await measureRouting();
      if (options.updateBaseline) {
        await writeBaseline(Object.fromEntries(reports.map((report) => [report.mode, report.passing])));
        process.stderr.write('baseline.json updated from this run\n');
      }
      if (options.json) printJson({ modes: reports, routing });
      else process.stdout.write(formatEvalReport(reports, routing));
      const broken = reports.some(
        (report) => (report.baseline?.regressed.length ?? 0) + (report.baseline?.missing.length ?? 0) > 0,
      );
      if (options.checkBaseline && broken && !options.updateBaseline) process.exitCode = 1;
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
