/**
 * @module cli/main
 * The `groundwork` command line. Each command is a thin layer over the same services the server uses.
 */
import { Command } from 'commander';
import { GroundworkError } from '../errors.ts';
import { assertValidText } from '../text/valid-text.ts';
import { registerAskCommand } from './commands/ask.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerChatCommand } from './commands/chat.ts';
import { registerDocumentsCommand } from './commands/documents.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerExperimentsCommand } from './commands/experiments.ts';
import { registerGuardrailsCommand } from './commands/guardrails.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerJobsCommand } from './commands/jobs.ts';
import { registerKeysCommand } from './commands/keys.ts';
import { registerModelsCommand } from './commands/models.ts';
import { registerPrivacyCommand } from './commands/privacy.ts';
import { registerPromptsCommand } from './commands/prompts.ts';
import { registerSearchCommand } from './commands/search.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerSessionsCommand } from './commands/sessions.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerSupportCommand } from './commands/support.ts';
import { registerTracesCommand } from './commands/traces.ts';

const program = new Command('groundwork')
  .description('Self-hosted platform for grounded AI assistants')
  .option('--tenant <id>', 'tenant to act on (default: GROUNDWORK_TENANT or "default")')
  .showHelpAfterError()
  // Arguments and options are text the commands store or send: a NUL or an unpaired surrogate is a
  // clear `invalid_text` error before any command runs (files and stdin are checked where read).
  .hook('preAction', (_program, command) => {
    assertValidText(command.args, 'arguments');
    assertValidText(command.opts(), 'options');
  });

registerIngestCommand(program);
registerSearchCommand(program);
registerAskCommand(program);
registerChatCommand(program);
registerJobsCommand(program);
registerDocumentsCommand(program);
registerStatusCommand(program);
registerEvalCommand(program);
registerKeysCommand(program);
registerSessionsCommand(program);
registerAuditCommand(program);
registerServeCommands(program);
registerModelsCommand(program);
registerPromptsCommand(program);
registerExperimentsCommand(program);
registerGuardrailsCommand(program);
registerPrivacyCommand(program);
registerTracesCommand(program);
registerSupportCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (GroundworkError.isInstance(error)) {
    process.stderr.write(`groundwork: ${error.message} [${error.code}]\n`);
    process.exitCode = error.category === 'user' ? 2 : 1;
  } else {
    process.stderr.write(`groundwork: unexpected error: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  }
}
