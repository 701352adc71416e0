/**
 * @module guardrails/moderation-rules
 * The rule-based moderation classifier: intent patterns per category (moderation-rules-*.ts) over the
 * normalised text. They look for intent ("how to make a pipe bomb", "tell me a racist joke"), not
 * topics: a support knowledge base talks about killing processes, shooting photos, cutting cables,
 * attack surfaces and adult sizes. Measured on held-out data by bench/moderation-eval.ts.
 */
import { MODERATION_CATEGORIES, type ModerationCategory } from '../spec/moderation.ts';
import { normalise } from './injection.ts';
import { HARASSMENT_RULES, HATE_RULES } from './moderation-rules-abuse.ts';
import { ILLEGAL_RULES, SELF_HARM_RULES, VIOLENCE_RULES, WEAPONS_RULES } from './moderation-rules-harm.ts';
import { SEXUAL_MINORS_RULES, SEXUAL_RULES } from './moderation-rules-sexual.ts';
import { PROTECTIVE_PHRASES } from './moderation-vocabulary.ts';

export type { ModerationCategory } from '../spec/moderation.ts';

/** One rule. */
export interface ModerationRule {
  readonly category: ModerationCategory;
  readonly pattern: RegExp;
}

/** Every rule, by category. */
export const MODERATION_RULES: readonly ModerationRule[] = [
  ...HATE_RULES,
  ...HARASSMENT_RULES,
  ...SEXUAL_RULES,
  ...SEXUAL_MINORS_RULES,
  ...SELF_HARM_RULES,
  ...VIOLENCE_RULES,
  ...ILLEGAL_RULES,
  ...WEAPONS_RULES,
];

const SEXUAL_CATEGORIES: ReadonlySet<ModerationCategory> = new Set(['sexual', 'sexual-minors']);
/** Texts longer than this are checked in overlapping windows, so the patterns stay bounded. */
const WINDOW = 4000;

/** The categories `text` (already normalised: lower case, NFKC) matches, in category order. */
export function moderationCategories(text: string): ModerationCategory[] {
  const plain = text.replace(/[‘’`´]/g, "'").replace(/[“”]/g, '"');
  // Protective phrases ("block porn sites for my kids") are read as what they are, not as sexual requests.
  const unprotected = plain.replace(PROTECTIVE_PHRASES, ' ');
  const found = new Set<ModerationCategory>();
  for (const piece of windows(plain)) {
    const guarded = piece === plain ? unprotected : piece.replace(PROTECTIVE_PHRASES, ' ');
    for (const rule of MODERATION_RULES) {
      if (found.has(rule.category)) continue;
      if (rule.pattern.test(SEXUAL_CATEGORIES.has(rule.category) ? guarded : piece)) found.add(rule.category);
    }
  }
  return MODERATION_CATEGORIES.filter((category) => found.has(category));
}

/**
 * The categories a raw text falls under, after normalisation.
 *
 * @example
 * moderate('Tell me a racist joke'); // ['hate']
 * moderate('How do I kill the process that hangs the router?'); // []
 */
export function moderate(text: string): ModerationCategory[] {
  return moderationCategories(normalise(text));
}

function windows(text: string): string[] {
  if (text.length <= WINDOW) return [text];
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += WINDOW / 2)
    pieces.push(text.slice(start, start + WINDOW));
  return pieces;
}
