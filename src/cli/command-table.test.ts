import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, invokedCommand, registerCommands } from './command-table.ts';

const program = () => new Command('groundwork').option('--tenant <id>', 'tenant to act on');

describe('the lazy command table', () => {
  it('lists every command the modules register, with their terms and descriptions, in order', async () => {
    const eager = program();
    for (const entry of COMMANDS) {
      if (!eager.commands.some((command) => command.name() === entry.name)) await entry.register(eager);
    }
    const help = eager.createHelp();
    expect(eager.commands.map((command) => command.name())).toEqual(COMMANDS.map((entry) => entry.name));
    for (const command of eager.commands) {
      const entry = COMMANDS.find((candidate) => candidate.name === command.name());
      expect({ term: help.subcommandTerm(command), description: command.description() }).toEqual({
        term: entry?.term,
        description: entry?.description,
      });
    }
    const lazy = program();
    await registerCommands(lazy, ['--help']);
    expect(lazy.helpInformation()).toBe(eager.helpInformation());
  });

  it('registers only the command that runs, with its subcommands and options', async () => {
    const lazy = program();
    await registerCommands(lazy, ['--tenant', 'acme', 'keys', 'create', '--help']);
    expect(lazy.commands.map((command) => command.name())).toEqual(['keys']);
    expect(lazy.commands[0]?.commands.map((command) => command.name())).toContain('rotate');
  });

  it('finds the command after global options and after help', () => {
    expect(invokedCommand(['--tenant', 'status', 'ingest', 'x'])).toBe('ingest');
    expect(invokedCommand(['--tenant=acme', '-h'])).toBeUndefined();
    expect(invokedCommand(['help', 'models'])).toBe('models');
    expect(invokedCommand([])).toBeUndefined();
  });
});
