/**
 * @module models/acquire/memory
 * Refuses a model the machine cannot hold. Pulling checks it (unless forced) and the runtime checks it
 * again before loading, with the same message.
 */
import os from 'node:os';
import { GroundworkError } from '../../errors.ts';
import { formatBytes } from '../../text/format-bytes.ts';
import type { LocalModelSpec } from '../local/catalog.ts';

/** A `model_too_large` error when `spec` needs more memory than the machine has, else undefined. */
export function checkMemoryFor(
  spec: Pick<LocalModelSpec, 'name' | 'approxRamBytes'>,
  totalMemoryBytes: number = os.totalmem(),
): GroundworkError | undefined {
  if (spec.approxRamBytes <= totalMemoryBytes) return undefined;
  return new GroundworkError({
    code: 'model_too_large',
    category: 'user',
    message:
      `Model ${spec.name} needs about ${formatBytes(spec.approxRamBytes)} of memory; this machine has ` +
      `${formatBytes(totalMemoryBytes)} in total. Choose a smaller model, or pass --force to download it anyway.`,
    details: { model: spec.name, neededBytes: spec.approxRamBytes, totalBytes: totalMemoryBytes },
  });
}
