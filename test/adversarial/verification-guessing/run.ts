/**
 * The verification-guessing attacks as a command: builds the world on an in-memory PGlite (or the
 * Postgres server at --url), runs every case in cases.json and prints, per case, the guesses sent, how
 * many reached the comparison against the victim (must be ≤ the per-customer limit) and whether the
 * attacker got verified.
 *
 *   npx tsx test/adversarial/verification-guessing/run.ts [--json] [--url postgres://…]
 *
 * Exits 1 when a case failed its expectation or exceeded the limit.
 */
import { parseArgs } from 'node:util';

// The lockout and alarm logs would bury the report; LOG_LEVEL=warn shows them. Set before the logger loads.
process.env.LOG_LEVEL ??= 'silent';
const { openDatabase } = await import('../../../src/store/open.ts');
const { loadGuessingCases, runGuessingCases } = await import('./attacks.ts');
const { openGuessingWorld } = await import('./world.ts');

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, url: { type: 'string' } },
});
const backend = values.url
  ? { name: 'postgres' as const, open: () => openDatabase({ databaseUrl: values.url }) }
  : { name: 'pglite' as const, open: () => openDatabase({ dataDir: 'memory://' }) };
const world = await openGuessingWorld(backend);
const report = await runGuessingCases(world, loadGuessingCases());
await world.close();
if (values.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  process.stdout.write(
    `verification guessing: ${report.cases} cases (${report.attacks} attacks); per-customer limit ${report.limit}; ` +
      `most guesses compared against one customer ${report.maxCompared}; attacks verified as their victim ${report.breached}\n`,
  );
  for (const result of report.results) {
    const verified = result.verifiedAt ? `verified at guess ${result.verifiedAt}` : 'not verified';
    const decoy = result.comparedDecoy === undefined ? '' : ` (decoy ${result.comparedDecoy})`;
    process.stdout.write(
      `  ${result.id.padEnd(6)} ${result.expect.padEnd(8)} tried ${String(result.tried).padStart(3)}, compared ${String(result.compared).padStart(2)}${decoy}, ${verified}${result.ok ? '' : '  FAILED'}\n`,
    );
  }
}
process.exitCode = report.failedCases.length > 0 ? 1 : 0;
