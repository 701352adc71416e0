/**
 * @module ingest/sources/folder
 * Walks a folder for files the parsers understand. Hidden entries and dependency folders are skipped;
 * symbolic links are not followed, so a walk cannot escape the folder it was given.
 */
import { opendir } from 'node:fs/promises';
import path from 'node:path';

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

/** Lists ingestible files under `root`, sorted for a stable job order; counts what it ignored. */
export async function walkFolder(root: string): Promise<{ files: string[]; ignored: number }> {
  const files: string[] = [];
  let ignored = 0;
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    for await (const entry of await opendir(directory)) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      } else if (entry.isFile()) {
        if (SUPPORTED_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
        else ignored++;
      }
    }
  }
  files.sort();
  return { files, ignored };
}
