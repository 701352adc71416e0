/**
 * @module models/acquire/resolve-model
 * Model names typed by users, looked up in the catalog with an error that lists the known names.
 */
import { InvalidRequestError } from '../../errors.ts';
import { LOCAL_MODELS, type LocalModelSpec } from '../local/catalog.ts';

/** The spec for `name` (case-insensitive); throws `unknown_model` listing the catalog. */
export function resolveModel(
  name: string,
  catalog: readonly LocalModelSpec[] = LOCAL_MODELS,
): LocalModelSpec {
  const wanted = name.toLowerCase();
  const spec = catalog.find((model) => model.name.toLowerCase() === wanted);
  if (spec) return spec;
  throw new InvalidRequestError(
    'unknown_model',
    `Unknown model "${name}". Known models: ${catalog.map((model) => model.name).join(', ')}.`,
    { model: name, known: catalog.map((model) => model.name) },
  );
}
