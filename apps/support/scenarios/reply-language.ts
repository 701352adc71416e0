/**
 * @module support/scenarios/reply-language
 * Which of English, Spanish, French or German a reply is written in, by counting each language's
 * common function words (only words that are not also common in another of the four). Good enough
 * to tell a Spanish answer from an English one; a reply with no such word is `unknown`.
 */
import type { ScenarioLanguage } from './scenario.ts';

const WORDS: Readonly<Record<ScenarioLanguage, ReadonlySet<string>>> = {
  en: new Set(
    'the and you your is are of for with to we our this that it please can will have order help not'.split(
      ' ',
    ),
  ),
  es: new Set(
    'el los las y su sus un una por para con es está usted le pedido gracias hola puede ayudar persona equipo no lo del al'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le les et vous votre vos une pour est avec commande merci bonjour pouvez aider personne équipe je nous du au ne pas'.split(
      ' ',
    ),
  ),
  de: new Set(
    'der die das und ist sie ihre ihr ein eine für mit nicht zu bestellung danke hallo können helfen person team ich wir den dem'.split(
      ' ',
    ),
  ),
};

/** The language of `text`, or `unknown` when none of the four is recognised. */
export function replyLanguage(text: string): ScenarioLanguage | 'unknown' {
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  let best: ScenarioLanguage | 'unknown' = 'unknown';
  let bestCount = 0;
  for (const [language, list] of Object.entries(WORDS) as [ScenarioLanguage, ReadonlySet<string>][]) {
    const count = words.filter((word) => list.has(word)).length;
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  return best;
}
