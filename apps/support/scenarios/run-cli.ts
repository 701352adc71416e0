/**
 * @module support/scenarios/run-cli
 * Runs the support scenarios against the no-LLM policy on an embedded, freshly seeded database:
 *
 *   npx tsx apps/support/scenarios/run-cli.ts [--embedder none|local:bge-small-en-v1.5] [--models-dir DIR]
 */
import { parseArgs } from 'node:util';
import { resolveEmbedder } from '../../../src/models/embedders.ts';
import { openDatabase } from '../../../src/store/open.ts';
import { seedSupportStore } from '../store/seed.ts';
import { runScenarios } from './run-routed.ts';
import { loadScenarios, trainSupportRouter } from './runner.ts';

const { values } = parseArgs({
  options: {
    embedder: { type: 'string', default: 'none' },
    'models-dir': { type: 'string', default: '/var/cache/groundwork/models' },
  },
});
const db = await openDatabase({ dataDir: 'memory://' });
try {
  await seedSupportStore(db, { tenantId: 'demo' });
  const router = await trainSupportRouter(
    resolveEmbedder(values.embedder, { modelsDir: values['models-dir'] }),
  );
  const report = await runScenarios(db, await loadScenarios(), { tenantId: 'demo', router });
  for (const result of report.results) {
    console.log(
      `${result.passed ? 'pass' : 'FAIL'} ${result.id}${result.problems.map((problem) => `\n     ${problem}`).join('')}`,
    );
  }
  console.log(
    `\n${report.results.filter((result) => result.passed).length}/${report.results.length} scenarios passed (${(report.passRate * 100).toFixed(1)}%), router ${router.representation}`,
  );
} finally {
  await db.close();
}
process.exit(0);
