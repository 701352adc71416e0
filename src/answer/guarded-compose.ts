/**
 * @module answer/guarded-compose
 * Composing an answer under guardrails (the `AnswerGuard` port): personal data in the question is
 * swapped for placeholders on the way to the model and put back in its answer; streamed text is held
 * back until a sentence is complete and released only after the output checks, so a leak cannot slip
 * out in a delta; and the whole answer is checked once more, falling back to quoting the passages
 * when too little of it is supported.
 */
import type { AnswerGuard } from '../spec/guardrails.ts';
import { type ComposeInput, type ComposePart, composeAnswer, extractFor } from './compose-answer.ts';
import { NOT_FOUND_ANSWER } from './notes.ts';

/** What the checks know about the caller. */
export interface GuardedComposeContext {
  readonly tenantId: string;
  readonly principals?: readonly string[];
  /** The stored conversation, when the answer belongs to one (escalations park it). */
  readonly conversationId?: string;
  /** The caller's own words (question and earlier turns). */
  readonly userText: string;
}

/** A sentence end followed by space, or a line break: text before it can be checked and released. */
const RELEASABLE = /[\s\S]*(?:[.!?…]["'”’)\]]*\s|\n)/;

/** `composeAnswer` with the guard's checks around it. */
export async function* composeGuarded(
  input: ComposeInput,
  guard: AnswerGuard,
  context: GuardedComposeContext,
): AsyncGenerator<ComposePart> {
  const forModel = input.model ? guard.redactForModel(input.query) : undefined;
  const checkContext = {
    tenantId: context.tenantId,
    conversationId: context.conversationId,
    principals: context.principals,
    userText: context.userText,
    passages: input.passages,
    signal: input.signal,
  };
  let pending = '';
  let refused = false;
  const release = async (text: string) => {
    const verdict = await guard.checkOutput(forModel ? forModel.restore(text) : text, {
      ...checkContext,
      partial: true,
    });
    if (verdict.refused) refused = true;
    return verdict.refused ? '' : verdict.text;
  };
  for await (const part of composeAnswer({ ...input, query: forModel?.text ?? input.query })) {
    if (part.type === 'text-delta') {
      if (refused) continue;
      pending += part.delta;
      const ready = RELEASABLE.exec(pending)?.[0];
      if (!ready) continue;
      pending = pending.slice(ready.length);
      const trailing = /\s*$/.exec(ready)?.[0] ?? '';
      const checked = await release(ready.slice(0, ready.length - trailing.length));
      if (checked) yield { type: 'text-delta', delta: checked + trailing };
      continue;
    }
    if (pending && !refused) {
      const checked = await release(pending);
      if (checked) yield { type: 'text-delta', delta: checked };
    }
    if (part.mode !== 'generative') {
      yield part;
      return;
    }
    const verdict = await guard.checkOutput(forModel ? forModel.restore(part.text) : part.text, checkContext);
    if (verdict.fallback) {
      const quoted = extractFor(input) ?? NOT_FOUND_ANSWER;
      yield { ...part, text: quoted, mode: 'extractive', notes: [...part.notes, ...verdict.notes] };
      return;
    }
    yield { ...part, text: verdict.text, notes: [...part.notes, ...verdict.notes] };
  }
}
