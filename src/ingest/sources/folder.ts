/**
 * @module ingest/sources/folder
 * Walks a folder for files the parsers understand. Hidden entries and dependency folders are skipped;
 * symbolic links are not followed and each folder is verified as it is opened, so a walk cannot
 * escape the folder it was given, and it never enters the folders it is told to exclude.
 */
import { opendir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { openVerified, type VerifiedHandle } from './verified-open.ts';

/** File name endings the pipeline ingests from folders. Explicitly named files are always attempted. */
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([
  '.pdf',
  '.html',
  '.htm',
  '.xhtml',
  '.md',
  '.markdown',
  '.txt',
  '.text',
  '.docx',
  '.csv',
  '.json',
  '.jsonl',
  '.ndjson',
]);

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.groundwork', '__pycache__']);

/** How a walk treats its root and what it never enters. */
export interface WalkOptions {
  /** Canonical folders a walk never descends into (the data and models directories). */
  readonly exclude?: readonly string[];
  /**
   * The root was resolved when the job was queued: refuse it if it no longer is its own real path
   * (swapped for a link since). Without it, the root is resolved now.
   */
  readonly canonicalRoot?: boolean;
}

/**
 * Lists ingestible files under `root` as canonical paths, sorted for a stable job order; counts what
 * it ignored. Every folder is opened and verified before it is listed, so a folder swapped for a
 * link during the walk is skipped rather than listed.
 */
export async function walkFolder(
  root: string,
  options: WalkOptions = {},
): Promise<{ files: string[]; ignored: number }> {
  const start = options.canonicalRoot ? root : await realpath(root);
  const exclude = new Set(options.exclude ?? []);
  const files: string[] = [];
  let ignored = 0;
  const pending = [start];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let opened: VerifiedHandle;
    try {
      opened = await openVerified(directory, 'directory');
    } catch (error) {
      if (directory === start) throw error;
      ignored++;
      continue;
    }
    try {
      for await (const entry of await opendir(opened.stablePath)) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !exclude.has(full)) pending.push(full);
        } else if (entry.isFile()) {
          if (SUPPORTED_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
          else ignored++;
        }
      }
    } finally {
      await opened.handle.close();
    }
  }
  files.sort();
  return { files, ignored };
}
