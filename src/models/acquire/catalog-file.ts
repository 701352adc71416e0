/**
 * @module models/acquire/catalog-file
 * The catalog the CLI works with: the built-in models plus, when `GROUNDWORK_MODEL_CATALOG` names a
 * JSON file, the models listed there (an array of catalog entries, same shape as `LOCAL_MODELS`).
 * It lets an organisation pull its own pinned models from its own mirror, and lets the CLI tests pull
 * small generated models from a local server.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors.ts';
import { LOCAL_MODELS, type LocalModelSpec } from '../local/catalog.ts';

/** Built-in models, then those of `GROUNDWORK_MODEL_CATALOG`; a name defined twice is an error. */
export function loadCatalog(
  env: Readonly<Record<string, string | undefined>> = process.env,
): LocalModelSpec[] {
  const file = env.GROUNDWORK_MODEL_CATALOG;
  if (!file) return [...LOCAL_MODELS];
  let extra: unknown;
  try {
    extra = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`GROUNDWORK_MODEL_CATALOG: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(extra) || !extra.every(isSpecLike)) {
    throw new ConfigError(
      `GROUNDWORK_MODEL_CATALOG: ${file} must hold a JSON array of models, each with name, files and sources.`,
    );
  }
  const catalog = [...LOCAL_MODELS, ...(extra as LocalModelSpec[])];
  const names = catalog.map((model) => model.name.toLowerCase());
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new ConfigError(`GROUNDWORK_MODEL_CATALOG: model ${duplicate} is defined twice.`);
  return catalog;
}

function isSpecLike(value: unknown): boolean {
  const spec = value as Partial<LocalModelSpec> | null;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec.name === 'string' &&
    Array.isArray(spec.files) &&
    Array.isArray(spec.sources) &&
    typeof spec.generated === 'object' &&
    typeof spec.approxRamBytes === 'number'
  );
}
