/**
 * @module sources/update
 * Applies a `PATCH /v1/sources/{id}` body to a stored source: common fields on any kind, settings
 * only on the kind they belong to (a `bucket` for a folder is refused, not ignored).
 */
import { InvalidRequestError } from '../errors.ts';
import { durationSeconds, type SourceConfig, type UpdateSource } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { SourceRow } from './store.ts';

const FIELDS_OF: Record<SourceConfig['kind'], readonly string[]> = {
  folder: ['path'],
  urls: ['urls'],
  s3: ['bucket', 'prefix', 'region', 'endpoint', 'pathStyle', 'credentials'],
};
const COMMON = ['name', 'acl', 'metadata', 'syncEvery'];

/** The source with the changes applied (credentials sealed); refuses fields of another kind. */
export function applyUpdate(row: SourceRow, update: UpdateSource, box: SecretBox): SourceRow {
  const foreign = Object.keys(update).filter(
    (field) => !COMMON.includes(field) && !FIELDS_OF[row.kind].includes(field),
  );
  if (foreign.length > 0) {
    throw new InvalidRequestError(
      'invalid_source',
      `${foreign.join(', ')} ${foreign.length === 1 ? 'does' : 'do'} not apply to a ${row.kind} source.`,
    );
  }
  const config = { ...row.config } as Record<string, unknown>;
  for (const field of FIELDS_OF[row.kind]) {
    if (field === 'credentials') continue;
    const value = (update as Record<string, unknown>)[field];
    if (value === null) delete config[field];
    else if (value !== undefined) config[field] = value;
  }
  return {
    ...row,
    name: update.name ?? row.name,
    acl: update.acl ?? row.acl,
    metadata: update.metadata ?? row.metadata,
    syncEverySeconds:
      update.syncEvery === undefined
        ? row.syncEverySeconds
        : update.syncEvery === null
          ? null
          : durationSeconds(update.syncEvery),
    config: config as SourceConfig,
    credentials: update.credentials ? box.seal(JSON.stringify(update.credentials)) : row.credentials,
  };
}
