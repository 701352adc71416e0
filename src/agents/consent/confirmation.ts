/**
 * @module agents/consent/confirmation
 * Reads the customer's answer to "shall I go ahead?": only an explicit yes, and nothing else in the
 * message, confirms ("yes", "yes please", "ok, go ahead", "sí", "oui", "ja"). A qualified yes ("yes
 * but only if…"), a question ("yes?"), a no or anything else does not; the runtime then never runs
 * the action.
 */

/** The answer to a confirmation question. */
export type ConfirmationAnswer = 'yes' | 'no' | 'other';

const YES_WORD =
  /^(?:yes|yeah|yep|yup|yea|sure|ok|okay|confirm|confirmed|i confirm|correct|right|absolutely|definitely|go ahead|go for it|do it|please do|proceed|that'?s right|that'?s correct|sounds good|s[ií]|claro|vale|oui|d'accord|ja|genau|jawohl)$/i;
const FILLER =
  /^(?:please|thanks|thank you|thx|go ahead|do it|please do|proceed|confirm|confirmed|i confirm|that'?s fine|that is fine|sounds good|por favor|gracias|s'il vous pla[iî]t|merci|bitte|danke|y|and|,)$/i;
const NO =
  /^(?:no|nope|nah|don'?t|do not|cancel|stop|wait|never ?mind|not now|no thanks|no thank you|leave it|forget it|non|nein|no gracias)\b/i;

/** Classifies the customer's answer. */
export function confirmationAnswer(text: string): ConfirmationAnswer {
  const message = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (NO.test(message)) return 'no';
  if (message.includes('?')) return 'other';
  // Split into short phrases: "yes, please go ahead!" → ["yes", "please go ahead"].
  const phrases = message
    .replace(/[!.]+/g, ',')
    .split(',')
    .map((phrase) => phrase.trim())
    .filter(Boolean);
  if (phrases.length === 0 || phrases.length > 4) return 'other';
  const [first, ...rest] = phrases;
  if (!first || !startsWithYes(first)) return 'other';
  return rest.every((phrase) => isFiller(phrase)) ? 'yes' : 'other';
}

/** "yes", "yes please", "ok go ahead": a yes word followed only by filler words. */
function startsWithYes(phrase: string): boolean {
  if (YES_WORD.test(phrase)) return true;
  const words = phrase.split(' ');
  for (let cut = Math.min(3, words.length - 1); cut >= 1; cut--) {
    if (YES_WORD.test(words.slice(0, cut).join(' ')) && isFiller(words.slice(cut).join(' '))) return true;
  }
  return false;
}

function isFiller(phrase: string): boolean {
  if (FILLER.test(phrase) || YES_WORD.test(phrase)) return true;
  const words = phrase.split(' ');
  if (words.length > 4) return false;
  for (let cut = 1; cut < words.length; cut++) {
    if (isFiller(words.slice(0, cut).join(' ')) && isFiller(words.slice(cut).join(' '))) return true;
  }
  return false;
}
