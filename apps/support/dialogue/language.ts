/**
 * @module support/dialogue/language
 * Which language a customer writes in (English, Spanish, French, German), from stop-word profiles and
 * letters only one of them uses. No model and no network: a short message scores on its function
 * words and greetings, and a message with none of them (an order number, an email) says nothing, so
 * the conversation keeps the language it had.
 */

/** The languages the support app has templates for. */
export const LANGUAGES = ['en', 'es', 'fr', 'de'] as const;

/** One of them. */
export type Language = (typeof LANGUAGES)[number];

/** Each language's frequent words, including the greetings and thanks of support chats. */
const PROFILES: Record<Language, ReadonlySet<string>> = {
  en: new Set(
    `the a an and of to in is are was my your where when what why how which who i you it this that
     please thanks thank hello hi hey order my can could would should do does did not don't doesn't with
     for from have has had will won't be been am there here about just want need help bye goodbye yes
     get got on at me we our us they if or but any still yet arrive arrived return refund thx thats that's all cheers ty
     anyone someone talk speak`.split(/\s+/),
  ),
  es: new Set(
    `el la los las del de que y en un una unos unas por para con sin no es son está están estoy mi mis
     su sus tu dónde donde cuándo cuando qué cómo cuánto cuánta cuántos hola gracias quiero quisiera
     tengo necesito puedo puede ayuda envío pedido favor buenos buenas días tardes adiós sí muchas
     muchos mucho pero hay ya todavía llegado llega llegar devolver devolución reembolso hablar con
     persona alguien nada también porque este esta eso lo le me se al muy
     cuanto donde envio tarda adios devolucion dias cuando como`.split(/\s+/),
  ),
  fr: new Set(
    `le la les de des du et en un une pour avec ne pas est sont suis mon ma mes ton ta votre vos où
     quand quoi comment combien bonjour bonsoir salut merci je j'ai veux voudrais besoin puis peux aide
     livraison commande colis s'il vous plaît plait revoir oui beaucoup mais il elle nous on ce cette
     c'est qu'il toujours encore arrivé arrive rembourser remboursement retour parler quelqu'un
     personne aussi très au aux sur dans temps faut tres ou`.split(/\s+/),
  ),
  de: new Set(
    `der die das den dem des und ein eine einen einem für mit nicht ist sind bin mein meine meinen
     dein ihr ihre wo wann was wie wieviel viel hallo danke ich möchte will brauche kann können hilfe
     versand bestellung paket bitte guten tag morgen abend tschüss wiedersehen ja vielen aber es noch
     immer schon angekommen ankommen kommt zurück rückgabe erstattung sprechen mitarbeiter jemandem
     auch sehr auf im zu von hat habe lange dauert nach tschuss moechte
     mochte`.split(/\s+/),
  ),
};

/** Letters that point to one language. */
const LETTERS: Record<Language, RegExp> = {
  en: /(?!)/g,
  es: /[ñ¿¡]|ó(?=n\b)|ción\b/g,
  fr: /[çœèêëîûù]|\b[a-z]'(?=[aeiouyh])/g,
  de: /[ßäöü]/g,
};

/** A detection: the best language and its score, or none when the text has no evidence. */
export interface LanguageGuess {
  readonly language: Language;
  readonly score: number;
  /** The best score is ahead of every other language. */
  readonly confident: boolean;
}

/** Scores `text` against each profile. */
export function detectLanguage(text: string): LanguageGuess | undefined {
  const lowered = text.toLowerCase().replace(/[’`]/g, "'");
  const words = lowered
    .replace(/\S+@\S+/g, ' ')
    .split(/[^\p{L}']+/u)
    .filter(Boolean);
  const scores = LANGUAGES.map((language) => {
    const profile = PROFILES[language];
    let score = 0;
    for (const word of words) {
      if (profile.has(word)) score += 1;
      else if (word.includes("'") && profile.has(`${word.split("'")[0]}'`)) score += 1;
    }
    score += 1.5 * (lowered.match(LETTERS[language])?.length ?? 0);
    return { language, score };
  }).sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score === 0) return undefined;
  return { language: best.language, score: best.score, confident: best.score > (second?.score ?? 0) };
}

/**
 * The conversation's language after `text`: the detected one when the message is clear about it,
 * otherwise the one it had (English at the start).
 */
export function nextLanguage(current: Language | undefined, text: string): Language {
  const guess = detectLanguage(text);
  if (guess?.confident) return guess.language;
  return current ?? 'en';
}
