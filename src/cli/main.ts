/**
 * @module cli/main
 * The `groundwork` command line. Each command is a thin layer over the same services the server uses;
 * only the module of the command that runs is loaded.
 */
import { Command } from 'commander';
import { GroundworkError } from '../errors.ts';
import { assertValidText } from '../text/valid-text.ts';
import { registerCommands } from './command-table.ts';

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

try {
  // Only the module of the command that runs is imported (cli/command-table.ts).
  await registerCommands(program, process.argv.slice(2));
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
