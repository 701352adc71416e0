/**
 * @module cli/commands/support-eval-report
 * The text report of `groundwork support eval`: per mode the pass rate, the rate per scenario
 * category, how the run compares with the baseline and the failures; then the intent router's
 * figures on its test split, with its confusions when it misses the target.
 */
import type { ModeReport } from '../../../apps/support/scenarios/evaluate.ts';
import type { RoutingFigures } from '../../../apps/support/scenarios/routing-figures.ts';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The report as text, one line per fact. */
export function formatEvalReport(reports: readonly ModeReport[], routing: RoutingFigures): string {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(
      `${report.mode}: ${report.passed}/${report.total} scenarios passed (${percent(report.passRate)}) in ${(report.durationMs / 1000).toFixed(1)} s`,
    );
    for (const [name, category] of Object.entries(report.categories))
      lines.push(
        `  ${name.padEnd(22)} ${`${category.passed}/${category.total}`.padStart(7)}  ${percent(category.passRate)}`,
      );
    const baseline = report.baseline;
    if (baseline) {
      lines.push(
        `  baseline: ${baseline.regressed.length} regressed, ${baseline.missing.length} missing, ${baseline.newlyPassing.length} newly passing`,
      );
      for (const id of baseline.regressed) lines.push(`    REGRESSED ${id}`);
      for (const id of baseline.missing)
        lines.push(`    MISSING ${id} (listed in baseline.json, no such scenario)`);
      if (baseline.newlyPassing.length > 0)
        lines.push(`    newly passing (record with --update-baseline): ${baseline.newlyPassing.join(', ')}`);
    }
    for (const failure of report.failures) {
      lines.push(`  FAIL ${failure.id} [${failure.category}]`);
      for (const problem of failure.problems) lines.push(`       ${problem}`);
    }
  }
  lines.push(
    `intent routing (${routing.representation}, test split of ${routing.testSize}): accuracy ${percent(routing.accuracy)} (target ${percent(routing.target)}), out-of-scope recall ${percent(routing.outOfScopeRecall)}, precision ${percent(routing.outOfScopePrecision)}`,
  );
  for (const [intent, { correct, total }] of Object.entries(routing.perIntent))
    lines.push(`  ${intent.padEnd(18)} ${correct}/${total}`);
  if (routing.accuracy < routing.target) {
    lines.push(`  below target; confusions (expected > routed):`);
    for (const confusion of routing.confusions)
      lines.push(
        `    ${confusion.expected} > ${confusion.predicted} ×${confusion.count}: ${confusion.examples.map((text) => JSON.stringify(text)).join(', ')}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
