/**
 * @module cli/command-table
 * The top-level commands of `groundwork`, each with the module that registers it, loaded only when
 * that command runs: `groundwork --help` lists the table without importing the product, and
 * `groundwork status` imports what `status` needs. `command-table.test.ts` checks the names,
 * terms and descriptions here against what the modules register.
 */
import type { Command } from 'commander';

/** One top-level command. */
export interface CommandEntry {
  readonly name: string;
  /** How `--help` lists it: the name, `[options]` and its arguments. */
  readonly term: string;
  readonly description: string;
  /** Imports the module and registers the command (and any sibling it registers) on `program`. */
  readonly register: (program: Command) => Promise<void>;
}

/** In the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'ingest',
    term: 'ingest [options] <sources...>',
    description: 'ingest files, folders and URLs into the knowledge base',
    register: async (program) => (await import('./commands/ingest.ts')).registerIngestCommand(program),
  },
  {
    name: 'sources',
    term: 'sources',
    description: 'server-side sources: folders, URL lists, S3 buckets',
    register: async (program) => (await import('./commands/sources.ts')).registerSourcesCommand(program),
  },
  {
    name: 'search',
    term: 'search [options] <query>',
    description: 'search the knowledge base',
    register: async (program) => (await import('./commands/search.ts')).registerSearchCommand(program),
  },
  {
    name: 'ask',
    term: 'ask [options] <question>',
    description: 'answer a question from the knowledge base, with sources',
    register: async (program) => (await import('./commands/ask.ts')).registerAskCommand(program),
  },
  {
    name: 'chat',
    term: 'chat [options]',
    description: 'chat with the knowledge base (Ctrl-D or /exit to leave)',
    register: async (program) => (await import('./commands/chat.ts')).registerChatCommand(program),
  },
  {
    name: 'jobs',
    term: 'jobs [options] [id]',
    description: 'list ingestion jobs, or show one',
    register: async (program) => (await import('./commands/jobs.ts')).registerJobsCommand(program),
  },
  {
    name: 'documents',
    term: 'documents',
    description: 'list or delete documents',
    register: async (program) => (await import('./commands/documents.ts')).registerDocumentsCommand(program),
  },
  {
    name: 'status',
    term: 'status [options]',
    description: 'show the database, the embedder and what the knowledge base holds',
    register: async (program) => (await import('./commands/status.ts')).registerStatusCommand(program),
  },
  {
    name: 'eval',
    term: 'eval',
    description: 'evaluate retrieval and answer quality',
    register: async (program) => (await import('./commands/eval.ts')).registerEvalCommand(program),
  },
  {
    name: 'keys',
    term: 'keys',
    description: 'manage API keys (create, list, revoke, rotate)',
    register: async (program) => (await import('./commands/keys.ts')).registerKeysCommand(program),
  },
  {
    name: 'sessions',
    term: 'sessions',
    description: 'customer sessions for chat widgets (create, revoke)',
    register: async (program) => (await import('./commands/sessions.ts')).registerSessionsCommand(program),
  },
  {
    name: 'audit',
    term: 'audit [options]',
    description: 'show the audit log of administrative actions',
    register: async (program) => (await import('./commands/audit.ts')).registerAuditCommand(program),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'run the HTTP API and the ingestion worker',
    register: async (program) => (await import('./commands/serve.ts')).registerServeCommands(program),
  },
  {
    name: 'start',
    term: 'start [options]',
    description: 'quick start: serve, with a demo knowledge base on first start',
    register: async (program) => (await import('./commands/serve.ts')).registerServeCommands(program),
  },
  {
    name: 'models',
    term: 'models',
    description: 'download, list and verify local models',
    register: async (program) => (await import('./commands/models.ts')).registerModelsCommand(program),
  },
  {
    name: 'prompts',
    term: 'prompts',
    description: 'manage prompt versions and labels',
    register: async (program) => (await import('./commands/prompts.ts')).registerPromptsCommand(program),
  },
  {
    name: 'experiments',
    term: 'experiments',
    description: 'split traffic between prompt versions',
    register: async (program) =>
      (await import('./commands/experiments.ts')).registerExperimentsCommand(program),
  },
  {
    name: 'guardrails',
    term: 'guardrails',
    description: "a tenant's moderation and stereotyping actions (show, set)",
    register: async (program) =>
      (await import('./commands/guardrails.ts')).registerGuardrailsCommand(program),
  },
  {
    name: 'privacy',
    term: 'privacy',
    description: "data-subject rights: export or erase one customer's data",
    register: async (program) => (await import('./commands/privacy.ts')).registerPrivacyCommand(program),
  },
  {
    name: 'traces',
    term: 'traces',
    description: 'read stored traces (newest first)',
    register: async (program) => (await import('./commands/traces.ts')).registerTracesCommand(program),
  },
  {
    name: 'support',
    term: 'support',
    description: 'the customer-support reference app',
    register: async (program) => {
      (await import('./commands/support.ts')).registerSupportCommand(program);
    },
  },
];

/**
 * The top-level command `argv` (the arguments after the script) runs: the first word that is not an
 * option or the value of `--tenant`; for `help <command>`, that command. Undefined for none.
 */
export function invokedCommand(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') return argv[index + 1];
    if (arg === '--tenant') {
      index++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    if (arg === 'help') return argv.slice(index + 1).find((next) => !next.startsWith('-'));
    return arg;
  }
  return undefined;
}

/**
 * Registers what `argv` needs: the full command it names, or, for help and unknown commands, every
 * command as a stub with its name, term and description (enough for `--help` and for suggestions).
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const name = invokedCommand(argv);
  const entry = COMMANDS.find((command) => command.name === name);
  if (entry) {
    await entry.register(program);
    return;
  }
  const terms = new Map(COMMANDS.map((command) => [command.name, command.term]));
  const help = program.createHelp();
  program.configureHelp({
    subcommandTerm: (command) => terms.get(command.name()) ?? help.subcommandTerm(command),
  });
  for (const command of COMMANDS) program.command(command.name).description(command.description);
}
