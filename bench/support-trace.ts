/**
 * One support conversation on the agent runtime, traced: the scenario's scripted double drives the
 * turns (handoff from triage, tool calls against the seeded orders store), each turn runs as its own
 * trace, and the last turn's stored span tree is printed as `groundwork traces show` draws it.
 *
 *   npx tsx bench/support-trace.ts [--scenario order-verify-then-status]
 */
import { parseArgs } from 'node:util';
import { loadScenarios } from '../apps/support/scenarios/runner.ts';
import { createScenarioModel } from '../apps/support/scenarios/scenario-model.ts';
import { seedSupportStore } from '../apps/support/store/seed.ts';
import { openSupportApp } from '../apps/support/testing.ts';
import { drawTree } from '../src/cli/commands/traces.ts';
import { buildSpanTree } from '../src/observability/span-tree.ts';
import { activeTraceId } from '../src/observability/tracer.ts';
import { getTrace } from '../src/store/traces.ts';

const { values } = parseArgs({
  options: { scenario: { type: 'string', default: 'order-verify-then-status' } },
});
const scenario = (await loadScenarios()).find((candidate) => candidate.id === values.scenario);
if (!scenario) throw new Error(`no scenario ${values.scenario}`);

const tenantId = 'default';
const scenarioModel = createScenarioModel();
const { app, support, close } = await openSupportApp({ model: scenarioModel.model });
try {
  await seedSupportStore(app.db, { tenantId });
  let conversationId: string | undefined;
  let traceId: string | undefined;
  for (const turn of scenario.turns) {
    scenarioModel.plan(turn);
    const result = await app.observability.runRoot('support turn', tenantId, {}, async () => {
      traceId = activeTraceId();
      return support.turn({ tenantId, conversationId, message: turn.user ?? '' });
    });
    conversationId = result.conversationId;
    process.stdout.write(`customer: ${turn.user}\n${result.agent} (${result.mode}): ${result.reply}\n\n`);
  }
  await app.observability.flush();
  const found = traceId ? await getTrace(app.db, tenantId, traceId) : undefined;
  if (!found) throw new Error('the last turn left no trace');
  process.stdout.write(`trace ${traceId} (last turn)\n${drawTree(buildSpanTree(found.spans))}`);
} finally {
  await close();
}
