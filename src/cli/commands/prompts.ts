/**
 * @module cli/commands/prompts
 * `groundwork prompts list|show|create|promote|rollback`: the prompt registry for the operator at the
 * machine (actor `cli`), over the same service as `/v1/prompts`.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidRequestError } from '../../errors.ts';
import { PRODUCTION_LABEL } from '../../prompts/registry.ts';
import { type PromptVariable, VARIABLE_TYPES } from '../../prompts/template.ts';
import { assertValidText } from '../../text/valid-text.ts';
import { printJson, withGroundwork } from '../context.ts';

const ACTOR = 'cli';

/** Registers the command. */
export function registerPromptsCommand(program: Command): void {
  const prompts = program.command('prompts').description('manage prompt versions and labels');
  prompts
    .command('list')
    .description('list prompts with their newest version and labels')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const list = await app.prompts.list(tenantId);
        if (options.json) return printJson(list);
        for (const prompt of list) {
          const labels = Object.entries(prompt.labels).map(([label, version]) => `${label}=v${version}`);
          process.stdout.write(`${prompt.name.padEnd(24)} v${prompt.latestVersion}  ${labels.join(' ')}\n`);
        }
      });
    });
  prompts
    .command('show')
    .description('show a prompt: its labels and versions, or one version with --version')
    .argument('<name>', 'prompt name, e.g. rag.system')
    .option('--version <n>', 'one version, with its template')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { version?: string; json?: boolean }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        if (options.version !== undefined) {
          const version = await app.prompts.version(tenantId, name, versionNumber(options.version));
          if (options.json) return printJson(version);
          const settings = Object.entries(version.generation)
            .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
            .join(' ');
          process.stdout.write(
            `${name} v${version.version} (${version.createdBy}, ${version.createdAt})${settings ? `\ngeneration: ${settings}` : ''}\n\n${version.template}\n`,
          );
          return;
        }
        const detail = await app.prompts.show(tenantId, name);
        if (options.json) return printJson(detail);
        process.stdout.write(`${detail.name}: ${detail.description ?? ''}\n`);
        for (const [label, version] of Object.entries(detail.labels))
          process.stdout.write(`  ${label} → v${version}\n`);
        for (const version of detail.versions) {
          process.stdout.write(
            `  v${version.version}  ${version.createdAt}  ${version.createdBy}  ${version.note ?? ''}\n`,
          );
        }
      });
    });
  prompts
    .command('create')
    .description('add the next version of a prompt from a template file (not promoted)')
    .argument('<name>', 'prompt name')
    .requiredOption('--file <path>', 'the template text; variables are written {{name}}')
    .option('--var <name:type...>', `declared variables, type one of ${VARIABLE_TYPES.join(', ')}`)
    .option('--note <text>', 'what changed')
    .option('--temperature <n>', 'sampling temperature, 0–2 (default for grounded answers: 0.2)')
    .option('--top-p <n>', 'nucleus sampling, above 0 up to 1')
    .option('--max-tokens <n>', 'most tokens an answer may have')
    .option('--stop <text>', 'a stop sequence (repeat for up to 4)', collectStops)
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        options: {
          file: string;
          var?: string[];
          note?: string;
          json?: boolean;
          temperature?: string;
          topP?: string;
          maxTokens?: string;
          stop?: string[];
        },
        command: Command,
      ) => {
        const template = readFileSync(options.file, 'utf8');
        assertValidText(template, options.file);
        const variables = (options.var ?? []).map(parseVariable);
        await withGroundwork(command, async (app, tenantId) => {
          const version = await app.prompts.create(
            tenantId,
            { name, template, variables, note: options.note, generation: generationOf(options) },
            ACTOR,
          );
          if (options.json) return printJson(version);
          process.stdout.write(`created ${name} v${version.version} (promote it to use it)\n`);
        });
      },
    );
  prompts
    .command('promote')
    .description('point a label (default production) at a version')
    .argument('<name>', 'prompt name')
    .argument('<version>', 'version number')
    .option('--label <label>', 'label to move', PRODUCTION_LABEL)
    .action(async (name: string, version: string, options: { label: string }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const moved = await app.prompts.promote(tenantId, name, versionNumber(version), options.label, ACTOR);
        process.stdout.write(
          `${name} ${moved.label}: v${moved.previousVersion ?? '-'} → v${moved.version}\n`,
        );
      });
    });
  prompts
    .command('rollback')
    .description('move a label (default production) back to the version it pointed at before')
    .argument('<name>', 'prompt name')
    .option('--label <label>', 'label to move', PRODUCTION_LABEL)
    .action(async (name: string, options: { label: string }, command: Command) => {
      await withGroundwork(command, async (app, tenantId) => {
        const moved = await app.prompts.rollback(tenantId, name, options.label, ACTOR);
        process.stdout.write(
          `${name} ${moved.label}: v${moved.previousVersion ?? '-'} → v${moved.version}\n`,
        );
      });
    });
}

function versionNumber(text: string): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) {
    throw new InvalidRequestError('invalid_version', `A version is a whole number from 1, not ${text}.`);
  }
  return number;
}

function parseVariable(text: string): PromptVariable {
  const [name = '', type = 'string'] = text.split(':');
  if (!(VARIABLE_TYPES as readonly string[]).includes(type)) {
    throw new InvalidRequestError(
      'invalid_variable',
      `--var ${text}: the type must be one of ${VARIABLE_TYPES.join(', ')}.`,
    );
  }
  return { name, type: type as PromptVariable['type'] };
}

/** Collects repeated `--stop` values. */
function collectStops(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The `--temperature`, `--top-p`, `--max-tokens` and `--stop` options as settings (checked by the registry). */
export function generationOf(options: {
  temperature?: string;
  topP?: string;
  maxTokens?: string;
  stop?: string[];
}): Record<string, unknown> {
  const number = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new InvalidRequestError('invalid_generation_settings', `${flag} ${text}: write a number.`);
    }
    return value;
  };
  const settings = {
    temperature: number('--temperature', options.temperature),
    topP: number('--top-p', options.topP),
    maxOutputTokens: number('--max-tokens', options.maxTokens),
    stopSequences: options.stop,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
