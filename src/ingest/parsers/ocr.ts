/**
 * @module ingest/parsers/ocr
 * OCR for PDF pages without a text layer, through the system's `pdftoppm` (poppler-utils) and
 * `tesseract` binaries. Both run as child processes, so a hostile page costs them, not our heap.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Absolute paths of the OCR binaries. */
export interface OcrTools {
  readonly pdftoppm: string;
  readonly tesseract: string;
  /** coreutils `timeout`, when present: it kills a child even if the thread that spawned it is gone. */
  readonly timeout?: string;
}

/** How to install the tools; part of user-facing messages. */
export const OCR_INSTALL_HINT = 'apt-get install tesseract-ocr poppler-utils';

const cache = new Map<string, OcrTools | null>();

/** Finds the OCR tools on `PATH` (looked up once per `PATH` value, then cached); null when either is missing. */
export function findOcrTools(searchPath: string = process.env.PATH ?? ''): OcrTools | null {
  const cached = cache.get(searchPath);
  if (cached !== undefined) return cached;
  const find = (name: string): string | undefined => {
    for (const directory of searchPath.split(path.delimiter)) {
      if (!directory) continue;
      const candidate = path.join(directory, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not in this directory.
      }
    }
    return undefined;
  };
  const pdftoppm = find('pdftoppm');
  const tesseract = find('tesseract');
  const tools = pdftoppm && tesseract ? { pdftoppm, tesseract, timeout: find('timeout') } : null;
  cache.set(searchPath, tools);
  return tools;
}

/** A PDF written to a temporary directory so the OCR tools can read it; `dispose` removes it. */
export interface OcrSession {
  recognise(page: number, timeoutMs: number, signal?: AbortSignal): Promise<string>;
  dispose(): Promise<void>;
}

/** Prepares OCR of pages of one PDF. */
export async function openOcrSession(tools: OcrTools, pdfBytes: Uint8Array): Promise<OcrSession> {
  const directory = await mkdtemp(path.join(tmpdir(), 'groundwork-ocr-'));
  const pdfPath = path.join(directory, 'input.pdf');
  await writeFile(pdfPath, pdfBytes);
  return {
    async recognise(page, timeoutMs, signal) {
      const prefix = path.join(directory, `page-${page}`);
      // 200 dpi is tesseract's sweet spot for body text; -singlefile avoids page-number suffixes.
      const raster = [
        '-r',
        '200',
        '-f',
        String(page),
        '-l',
        String(page),
        '-png',
        '-singlefile',
        pdfPath,
        prefix,
      ];
      await run(tools, tools.pdftoppm, raster, timeoutMs, signal);
      const image = `${prefix}.png`;
      try {
        return await run(tools, tools.tesseract, [image, 'stdout'], timeoutMs, signal);
      } finally {
        await rm(image, { force: true });
      }
    },
    async dispose() {
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function run(
  tools: OcrTools,
  file: string,
  args: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const [command, commandArgs] = tools.timeout
    ? [tools.timeout, ['-s', 'KILL', String(seconds), file, ...args]]
    : [file, args];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      commandArgs,
      {
        timeout: timeoutMs + 1000,
        killSignal: 'SIGKILL',
        maxBuffer: 32 * 1024 * 1024,
        signal,
        encoding: 'utf8',
        // One thread per tesseract: the sandbox already runs one parser per core.
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      },
      (error, stdout, stderr) => {
        if (error) {
          const reason =
            error.killed || error.code === 137
              ? `timed out after ${seconds} s`
              : stderr.trim() || error.message;
          reject(new Error(`${path.basename(file)} failed: ${reason.split('\n')[0]}`));
        } else resolve(stdout);
      },
    );
  });
}
