/**
 * The adversarial suite as a command: builds the world on an in-memory PGlite (or the Postgres server
 * at --url), runs every case in cases/*.json and prints cases tried / blocked / leaked.
 *
 *   npx tsx test/adversarial/run.ts [--json] [--guardrails off] [--url postgres://…]
 *
 * Exits 1 when anything leaked. `--guardrails off` runs the same cases with every guardrail off, to
 * show what the guardrails (rather than retrieval ACLs or validation) stop.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/store/open.ts';
import { loadCases, runAll } from './run-cases.ts';
import { openWorld } from './world.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    guardrails: { type: 'string', default: 'on' },
    url: { type: 'string' },
  },
});
const backend = values.url
  ? { name: 'postgres' as const, open: () => openDatabase({ databaseUrl: values.url }) }
  : { name: 'pglite' as const, open: () => openDatabase({ dataDir: 'memory://' }) };
const quiet = console.error;
console.error = () => {};
const world = await openWorld(backend, values.guardrails === 'off' ? { guardrails: { enabled: false } } : {});
const { report } = await runAll(world, loadCases());
await world.close();
console.error = quiet;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ guardrails: values.guardrails, ...report }, null, 2)}\n`);
} else {
  process.stdout.write(
    `guardrails ${values.guardrails}: ${report.tried} tried, ${report.blocked} blocked, ${report.leaked} leaked, ${report.unmet} expectations unmet\n`,
  );
  for (const [category, row] of Object.entries(report.byCategory)) {
    process.stdout.write(
      `  ${category.padEnd(24)} tried ${row.tried}, blocked ${row.blocked}, leaked ${row.leaked}\n`,
    );
  }
  for (const leak of report.leaks) process.stdout.write(`  LEAK ${leak.id}: ${leak.leaked.join('; ')}\n`);
  for (const id of report.unmetCases) process.stdout.write(`  UNMET ${id}\n`);
}
process.exitCode = report.leaked > 0 ? 1 : 0;
