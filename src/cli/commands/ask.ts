/**
 * @module cli/commands/ask
 * `groundwork ask "<question>"`: a grounded answer with numbered sources, generated when a language
 * model is configured and quoted from the passages otherwise.
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import type { RetrievalMode } from '../../spec/retrieval.ts';
import { printJson, withGroundwork } from '../context.ts';
import { formatAnswer } from '../print-answer.ts';

const MODES: readonly RetrievalMode[] = ['lexical', 'vector', 'hybrid'];

/** Options shared by `ask` and `chat`. */
export interface AnswerOptions {
  mode?: string;
  limit?: string;
  acl?: string;
}

/** Turns the shared options into the retrieval fields of an ask request. */
export function retrievalOptions(options: AnswerOptions) {
  if (options.mode && !MODES.includes(options.mode as RetrievalMode)) {
    throw new InvalidRequestError('invalid_mode', `--mode must be one of ${MODES.join(', ')}.`);
  }
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  return {
    retrievalMode: options.mode as RetrievalMode | undefined,
    limit,
    principals: options.acl?.split(',').map((principal) => principal.trim()),
  };
}

/** Adds the shared options to a command. */
export function withAnswerOptions(command: Command): Command {
  return command
    .option('--mode <mode>', 'retrieval: lexical | vector | hybrid (default: hybrid when an embedder is set)')
    .option('--limit <n>', 'passages to retrieve before the context budget (default 8)')
    .option('--acl <principals>', 'answer as these principals (comma-separated) instead of as the operator');
}

/** Registers the command. */
export function registerAskCommand(program: Command): void {
  withAnswerOptions(
    program.command('ask').description('answer a question from the knowledge base, with sources'),
  )
    .argument('<question>', 'what to ask')
    .option('--json', 'print JSON')
    .action(async (question: string, options: AnswerOptions & { json?: boolean }, command: Command) => {
      const retrieval = retrievalOptions(options);
      await withGroundwork(command, async (app, tenantId) => {
        // A trace of its own, like an HTTP request's, so `groundwork traces show <traceId>` finds it.
        const result = await app.observability.runRoot('cli ask', tenantId, {}, () =>
          app.answerer.ask({ tenantId, question, ...retrieval }),
        );
        if (options.json) printJson(result);
        else process.stdout.write(formatAnswer(result));
      });
    });
}
