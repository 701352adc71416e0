/**
 * @module models/local/local-chat-model
 * Resolves `GROUNDWORK_LLM=local:<name>` to the installed catalog model. Both mistakes a user can
 * make here (a name we do not know, a model not pulled yet) fail at start-up with the fix spelled
 * out, not at the first question.
 */
import path from 'node:path';
import { ConfigError } from '../../errors.ts';
import { LOCAL_MODELS } from './catalog.ts';
import { createLocalLanguageModel, type LocalLanguageModel } from './llama-language-model.ts';
import { installedModelDir, resolveModelsDir } from './models-dir.ts';

/** Builds the local chat model named in `setting`; throws `ConfigError` when unknown or not installed. */
export function resolveLocalChatModel(
  name: string,
  settings: { readonly setting: string; readonly env: Readonly<Record<string, string | undefined>> },
): LocalLanguageModel {
  const chatModels = LOCAL_MODELS.filter((model) => model.kind === 'chat');
  const spec = chatModels.find((model) => model.name.toLowerCase() === name.toLowerCase());
  if (!spec) {
    const known = chatModels.map((model) => model.name).join(', ');
    throw new ConfigError(
      `${settings.setting} names an unknown local chat model "${name}". Known local chat models: ${known} (e.g. local:${chatModels[0]?.name}).`,
      { setting: settings.setting, value: name, known: chatModels.map((model) => model.name) },
    );
  }
  const modelsDir = resolveModelsDir(settings.env);
  const dir = installedModelDir(modelsDir, spec);
  if (!dir) {
    throw new ConfigError(
      `${settings.setting} uses the local model "${spec.name}", which is not installed in ${modelsDir}: run \`bin/groundwork models pull ${spec.name}\` (or set GROUNDWORK_MODELS_DIR to where it is).`,
      { setting: settings.setting, model: spec.name, modelsDir },
    );
  }
  const threads = settings.env.GROUNDWORK_LLM_THREADS;
  if (threads !== undefined && !/^[1-9]\d*$/.test(threads)) {
    throw new ConfigError(`GROUNDWORK_LLM_THREADS must be a positive integer, got "${threads}".`);
  }
  // Default: every core (node-llama-cpp's own default of 4 is ruinous on a 2-core machine); fewer
  // when the machine's cores are shared with other busy work (llama.cpp's threads spin at barriers).
  return createLocalLanguageModel({
    modelPath: path.join(dir, spec.entryFile),
    spec,
    ...(threads ? { threads: Number(threads) } : {}),
  });
}
