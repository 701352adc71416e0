/**
 * @module cli/commands/experiments
 * `groundwork experiments list|create|stop|results`: prompt experiments for the operator at the
 * machine, over the same service as `/v1/experiments`.
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import type { ExperimentResults } from '../../prompts/experiment-results.ts';
import type { ExperimentArm } from '../../store/experiments.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Registers the command. */
export function registerExperimentsCommand(program: Command): void {
  const experiments = program.command('experiments').description('split traffic between prompt versions');
  experiments
    .command('list')
    .description('list experiments, newest first')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const list = await app.experiments.list(tenantId);
        if (options.json) return printJson(list);
        for (const experiment of list) {
          const arms = experiment.arms.map((arm) => `${arm.name}=v${arm.version}×${arm.weight}`).join(' ');
          process.stdout.write(
            `${experiment.id}  ${experiment.status.padEnd(8)} ${experiment.promptName}  ${arms}  ${experiment.name}\n`,
          );
        }
      });
    });
  experiments
    .command('create')
    .description('start an experiment; the first arm is the control')
    .requiredOption('--name <name>', 'what is being tried')
    // Commander reads `<…...>` as variadic only when a word character precedes the dots, so the arm
    // list needs its own collector: repeated `--arm a=1 --arm b=2`, `--arm a=1 b=2` and `--arm a=1,b=2`.
    .requiredOption(
      '--arm <arms...>',
      'two or more arms name=version[:weight], e.g. --arm control=1 --arm brief=2:1',
      collectArms,
    )
    .option('--prompt <name>', 'the prompt whose versions compete', 'rag.system')
    .option('--json', 'print JSON')
    .action(
      async (options: { name: string; arm: string[]; prompt: string; json?: boolean }, command: Command) => {
        const arms = options.arm.map(parseArm);
        await withGroundwork(command, async (app, tenantId) => {
          const experiment = await app.experiments.create(tenantId, {
            name: options.name,
            promptName: options.prompt,
            arms,
          });
          if (options.json) return printJson(experiment);
          process.stdout.write(`started ${experiment.id} on ${experiment.promptName}\n`);
        });
      },
    );
  experiments
    .command('stop')
    .description('stop an experiment; its results stay')
    .argument('<id>', 'experiment id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const experiment = await app.experiments.stop(tenantId, id);
        process.stdout.write(`stopped ${experiment.id}\n`);
      });
    });
  experiments
    .command('results')
    .description('per-arm outcomes with significance tests against the control')
    .argument('<id>', 'experiment id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const results = await app.experiments.results(tenantId, id);
        if (options.json) return printJson(results);
        process.stdout.write(formatResults(results));
      });
    });
}

/**
 * Commander collector of `--arm` values: each value (comma-separated lists too) is added to the arms
 * given so far, so the option can be repeated and can take several values.
 *
 * @example
 * program.option('--arm <arms...>', 'arms', collectArms); // --arm a=1 --arm b=2 → ['a=1', 'b=2']
 */
export function collectArms(value: string, previous: string[] | undefined): string[] {
  const values = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return [...(previous ?? []), ...values];
}

/** The results as a table and one line per comparison. */
export function formatResults(results: ExperimentResults): string {
  const percent = (value: number | null) =>
    value === null ? '   -  ' : `${(value * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    'arm          version  answers  rated  positive  feedback  grounded  p50 ms  tokens/answer  cost USD',
    ...results.arms.map(
      (arm) =>
        `${arm.arm.padEnd(12)} v${String(arm.version).padEnd(7)} ${String(arm.answers).padStart(7)} ${String(arm.rated).padStart(6)}  ${percent(arm.positiveRate)}    ${percent(arm.feedbackRate)}    ${percent(arm.groundedRate)}  ${(arm.latencyP50Ms ?? Number.NaN).toFixed(1).padStart(6)}  ${(arm.tokensPerAnswer ?? Number.NaN).toFixed(1).padStart(13)}  ${arm.costUsd.toFixed(6)}`,
    ),
    '',
  ];
  const p = (value: number | null) =>
    value === null ? 'n/a' : value < 0.0001 ? '<0.0001' : value.toFixed(4);
  for (const comparison of results.comparisons) {
    const rate = comparison.positiveRate;
    const latency = comparison.latency;
    lines.push(
      `${comparison.arm} vs ${comparison.control}: positive rate ${(rate.difference * 100).toFixed(1)} points, z = ${rate.z.toFixed(3)}, p = ${p(rate.pValue)}${rate.assumptionsMet ? '' : ' (n·p ≥ 5 not met: treat as indicative)'}`,
      `  grounded rate ${(comparison.groundedRate.difference * 100).toFixed(1)} points, p = ${p(comparison.groundedRate.pValue)}; latency mean ${latency.difference.toFixed(2)} ms, Welch t = ${latency.t.toFixed(3)}, df = ${latency.degreesOfFreedom.toFixed(1)}, p = ${p(latency.pValue)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function parseArm(text: string): ExperimentArm {
  const match = /^([a-z][a-z0-9_-]*)=(\d+)(?::(\d+(?:\.\d+)?))?$/.exec(text);
  if (!match) {
    throw new InvalidRequestError(
      'invalid_arm',
      `--arm ${text}: write name=version or name=version:weight, e.g. brief=2:1.`,
    );
  }
  return { name: match[1]!, version: Number(match[2]), weight: match[3] ? Number(match[3]) : 1 };
}
