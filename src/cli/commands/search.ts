/**
 * @module cli/commands/search
 * `groundwork search "<query>"`: hybrid (or lexical/vector) retrieval with scores and sources.
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import type { RetrievalMode } from '../../spec/retrieval.ts';
import { printJson, withGroundwork } from '../context.ts';

const MODES: readonly RetrievalMode[] = ['lexical', 'vector', 'hybrid'];

/** Registers the command. */
export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('search the knowledge base')
    .argument('<query>', 'what to look for')
    .option('--mode <mode>', 'lexical | vector | hybrid (default: hybrid when an embedder is set)')
    .option('--limit <n>', 'results to show', '5')
    .option('--acl <principals>', 'search as these principals (comma-separated) instead of as the operator')
    .option('--json', 'print JSON')
    .action(
      async (
        query: string,
        options: { mode?: string; limit: string; acl?: string; json?: boolean },
        command,
      ) => {
        if (options.mode && !MODES.includes(options.mode as RetrievalMode)) {
          throw new InvalidRequestError('invalid_mode', `--mode must be one of ${MODES.join(', ')}.`);
        }
        await withGroundwork(command, async (app, tenantId) => {
          const result = await app.retriever.search({
            tenantId,
            text: query,
            mode: options.mode as RetrievalMode | undefined,
            limit: Number(options.limit),
            principals: options.acl?.split(',').map((principal) => principal.trim()),
          });
          if (options.json) {
            printJson(result);
            return;
          }
          process.stdout.write(`${result.mode} search, ${result.timings.totalMs.toFixed(1)} ms\n`);
          result.chunks.forEach((chunk, index) => {
            const where = [chunk.headingPath.join(' › '), chunk.page ? `p. ${chunk.page}` : '']
              .filter(Boolean)
              .join(', ');
            process.stdout.write(
              `\n[${index + 1}] ${chunk.title ?? chunk.documentUri}${where ? ` — ${where}` : ''}\n` +
                `    ${chunk.documentUri}\n    ${chunk.snippet}\n    score ${chunk.scores.fused.toFixed(4)}` +
                `${chunk.scores.lexicalRank ? `  bm25 #${chunk.scores.lexicalRank}` : ''}` +
                `${chunk.scores.vectorRank ? `  vector #${chunk.scores.vectorRank}` : ''}\n`,
            );
          });
        });
      },
    );
}
