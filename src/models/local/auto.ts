/**
 * @module models/local/auto
 * What `auto` means for the embedder and the language model: the best mode this machine can run
 * without an API key. A configured model always wins; `none` always means none; `auto` (the default)
 * picks the default local model when it is installed and verified, and otherwise the mode that needs
 * no model (lexical retrieval, extractive answers), with a note saying how to get the better one.
 */
import { DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL, findLocalModel } from './catalog.ts';
import { installedModelDir } from './models-dir.ts';

/** What `auto` resolved to, and why, for the start-up banner and `status`. */
export interface AutoChoice {
  /** The concrete setting: `local:<name>` or `none`. */
  readonly spec: string;
  /** One line for the operator when `auto` fell back to `none`. */
  readonly note?: string;
}

/** Resolves an embedder or LLM setting; anything but `auto` passes through unchanged. */
export function resolveAuto(setting: string, kind: 'embedding' | 'chat', modelsDir: string): AutoChoice {
  if (setting.trim() !== 'auto') return { spec: setting };
  const name = kind === 'embedding' ? DEFAULT_EMBEDDING_MODEL : DEFAULT_CHAT_MODEL;
  const spec = findLocalModel(name);
  if (spec && installedModelDir(modelsDir, spec)) return { spec: `local:${spec.name}` };
  const without = kind === 'embedding' ? 'lexical retrieval only' : 'extractive answers';
  return {
    spec: 'none',
    note: `${name} is not installed (${without}); run \`bin/groundwork models pull ${name}\` or set ${
      kind === 'embedding' ? 'GROUNDWORK_EMBEDDER' : 'GROUNDWORK_LLM'
    }`,
  };
}
