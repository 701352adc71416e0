/**
 * @module answer/compose-answer
 * Writes the answer text from the assembled passages: with the model when there is one, quoted from
 * the passages otherwise, and quoted too when the model's answer cites nothing or repeats its prompt. With no passages it
 * says so plainly instead of letting the model invent an answer. A model that says the passages do not
 * answer is kept as it is (an abstention needs no citation).
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { AnswerMode } from '../spec/answer.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import type { GenerationSettings, GroundedPromptSelection } from '../spec/prompts.ts';
import { isAbstention } from './abstention.ts';
import { resolveCitations } from './citations.ts';
import type { Passage } from './context-assembly.ts';
import { echoesPrompt } from './echo.ts';
import { extractAnswer } from './extractive.ts';
import { generateGrounded } from './generate.ts';
import { NOT_FOUND_ANSWER, NOTES } from './notes.ts';
import { buildGroundedPrompt } from './prompt.ts';

/** What composing needs. */
export interface ComposeInput {
  /** The standalone question (condensed when there was history). */
  readonly query: string;
  readonly passages: readonly Passage[];
  readonly analyzer: LexicalAnalyzer;
  readonly model?: LanguageModelV3;
  readonly streaming: boolean;
  readonly signal?: AbortSignal;
  /** Sampling settings of the generation (answer/generation-settings.ts). */
  readonly generation?: GenerationSettings;
  /** The registry's prompt for this request; the built-in text when absent. */
  readonly prompt?: GroundedPromptSelection;
  /** How a quoted answer reads the conversation (default: `query` alone, no history). */
  readonly extractive?: ExtractiveQuestion;
}

/** The question a quoted answer answers, apart from what condensation carried over from earlier turns. */
export interface ExtractiveQuestion {
  /** The question to answer: the user's own words, or a model's standalone rewrite of them. */
  readonly question: string;
  /** Words carried over from earlier turns by condensation without a model. */
  readonly carried?: string;
  /** The assistant's earlier answers in the conversation. */
  readonly earlier?: readonly string[];
}

/** The quoted answer of `input`, or undefined when no sentence answers. */
export function extractFor(input: ComposeInput): string | undefined {
  const { extractive } = input;
  return extractAnswer(extractive?.question ?? input.query, input.passages, input.analyzer, {
    ...(extractive?.carried ? { carried: extractive.carried } : {}),
    ...(extractive?.earlier ? { earlier: extractive.earlier } : {}),
  });
}

/** Model text as it arrives, then the answer text (citation markers not yet resolved). */
export type ComposePart =
  | { readonly type: 'text-delta'; readonly delta: string }
  | {
      readonly type: 'composed';
      readonly text: string;
      readonly mode: AnswerMode;
      readonly notes: readonly string[];
      readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
      /** Whether model text was streamed (which the final answer may then replace). */
      readonly streamed: boolean;
      /** `provider:model` that answered, when the model reports it (a fallback model). */
      readonly servedBy?: string;
    };

/** Composes the answer; model errors propagate as the provider raised them. */
export async function* composeAnswer(input: ComposeInput): AsyncGenerator<ComposePart> {
  const { passages, model } = input;
  const notes: string[] = [];
  const none = { inputTokens: 0, outputTokens: 0 };
  if (passages.length === 0 || !model) {
    const text = passages.length === 0 ? NOT_FOUND_ANSWER : extract(input, notes);
    if (passages.length === 0) notes.push(NOTES.nothingRetrieved);
    if (!model) notes.push(NOTES.noModel);
    yield { type: 'composed', text, mode: 'extractive', notes, usage: none, streamed: false };
    return;
  }
  let text = '';
  let usage = none;
  let streamed = false;
  let servedBy: string | undefined;
  const prompt = buildGroundedPrompt(input.query, passages, input.prompt);
  const generation = generateGrounded(model, prompt, {
    streaming: input.streaming,
    signal: input.signal,
    generation: input.generation,
  });
  for await (const part of generation) {
    if (part.type === 'delta') {
      streamed = true;
      yield { type: 'text-delta', delta: part.delta };
    } else {
      text = part.text;
      usage = part.usage;
      servedBy = part.servedBy;
    }
  }
  if (echoesPrompt(text, prompt.system)) {
    notes.push(NOTES.echoed);
  } else if (resolveCitations(text, passages.length).cited.length > 0 || isAbstention(text)) {
    // A model that says the passages do not answer claims nothing, so it needs no citation; quoting
    // passages instead would answer a question the knowledge base does not answer.
    yield { type: 'composed', text, mode: 'generative', notes, usage, streamed, servedBy };
    return;
  } else {
    notes.push(NOTES.uncited);
  }
  yield {
    type: 'composed',
    text: extract(input, notes),
    mode: 'extractive',
    notes,
    usage,
    streamed,
    servedBy,
  };
}

function extract(input: ComposeInput, notes: string[]): string {
  const text = extractFor(input);
  if (text) return text;
  notes.push(NOTES.nothingRelevant);
  return NOT_FOUND_ANSWER;
}
