/**
 * @module cli/commands/traces
 * `groundwork traces list|show`: the stored traces of a tenant, read from the database the server
 * writes them to, for an operator at the machine. `show` draws the span tree with each span's time and
 * the attributes an operator looks for first (model, tokens, result counts, tool, error).
 */
import type { Command } from 'commander';
import { InvalidRequestError, NotFoundError } from '../../errors.ts';
import { buildSpanTree, type SpanNode } from '../../observability/span-tree.ts';
import type { TraceRow } from '../../store/traces.ts';
import { printJson, withGroundwork } from '../context.ts';

/** Attributes shown next to a span's name, with the label they get. */
const SHOWN: readonly [string, string][] = [
  ['http.response.status_code', 'status'],
  ['gen_ai.request.model', 'model'],
  ['gen_ai.usage.input_tokens', 'in'],
  ['gen_ai.usage.output_tokens', 'out'],
  ['groundwork.cost.usd', 'usd'],
  ['gen_ai.tool.name', 'tool'],
  ['groundwork.retrieval.results', 'results'],
  ['groundwork.search.results', 'results'],
  ['groundwork.context.kept', 'kept'],
  ['groundwork.citations.kept', 'citations'],
  ['groundwork.answer.mode', 'mode'],
  ['agent.name', 'agent'],
  ['agent.handoff.from', 'from'],
  ['agent.handoff.to', 'to'],
  ['agent.stop_reason', 'stop'],
  ['groundwork.error.code', 'error'],
];

/** Registers the command. */
export function registerTracesCommand(program: Command): void {
  const traces = program.command('traces').description('read stored traces (newest first)');
  traces
    .command('list')
    .description('list recent traces of the tenant')
    .option('--limit <n>', 'how many (default 20)', '20')
    .option('--errors', 'only traces that failed')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; errors?: boolean; json?: boolean }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new InvalidRequestError('invalid_limit', '--limit must be a whole number from 1 to 1000.');
      }
      await withGroundwork(command, async (app, tenantId) => {
        const rows = await app.observability.traces.list(tenantId, {
          limit,
          ...(options.errors ? { status: 'error' as const } : {}),
        });
        if (options.json) return printJson(rows);
        if (rows.length === 0) process.stdout.write('No traces stored yet.\n');
        for (const row of rows) process.stdout.write(`${traceLine(row)}\n`);
      });
    });
  traces
    .command('show')
    .description('one trace as a span tree')
    .argument('<traceId>', '32 hex digits, e.g. the traceId of an answer')
    .option('--json', 'print JSON')
    .action(async (traceId: string, options: { json?: boolean }, command: Command) => {
      const id = traceId.toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(id)) {
        throw new InvalidRequestError('invalid_trace_id', 'A trace id is 32 hexadecimal digits.');
      }
      await withGroundwork(command, async (app, tenantId) => {
        const found = await app.observability.traces.get(tenantId, id);
        if (!found) throw new NotFoundError('trace_not_found', `No trace ${id} in tenant ${tenantId}.`);
        const tree = buildSpanTree(found.spans);
        if (options.json) return printJson({ trace: found.trace, spans: tree });
        process.stdout.write(`${traceLine(found.trace)}\n`);
        process.stdout.write(drawTree(tree));
      });
    });
}

function traceLine(row: TraceRow): string {
  const tokens =
    row.inputTokens + row.outputTokens > 0 ? `  tokens ${row.inputTokens}/${row.outputTokens}` : '';
  const cost =
    row.costUsd > 0 ? `  ${row.unpricedModelCalls > 0 ? '>=' : ''}$${row.costUsd.toPrecision(2)}` : '';
  const failed = row.status === 'error' ? `  ERROR ${row.errorCode ?? ''}` : '';
  return `${row.traceId}  ${row.startedAt}  ${(row.name ?? '?').padEnd(22)} ${ms(row.durationMs).padStart(10)}${tokens}${cost}${failed}`;
}

/** The tree as indented lines: name, duration, then the shown attributes. */
export function drawTree(nodes: readonly SpanNode[], prefix = ''): string {
  let text = '';
  nodes.forEach((node, index) => {
    const last = index === nodes.length - 1;
    const label = `${prefix}${last ? '└─ ' : '├─ '}${node.name}`;
    const details = SHOWN.filter(([key]) => node.attributes[key] !== undefined).map(
      ([key, name]) => `${name}=${String(node.attributes[key])}`,
    );
    if (node.status === 'error') details.push('ERROR');
    text += `${label.padEnd(44)} ${ms(node.durationMs).padStart(10)}  ${details.join(' ')}`.trimEnd();
    text += '\n';
    text += drawTree(node.children, `${prefix}${last ? '   ' : '│  '}`);
  });
  return text;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}
