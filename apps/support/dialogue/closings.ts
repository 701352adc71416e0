/**
 * @module support/dialogue/closings
 * Messages that end a conversation ("thanks", "that's all", "bye", "gracias", "merci, au revoir",
 * "danke, tschüss") and short yes-answers to an offer. A closing is a message made only of thanks,
 * farewells and filler: "thanks, but where is my order?" asks something and is not one.
 */

const word = (alternatives: string) =>
  new RegExp(
    `^(?:${alternatives})(?![\\p{L}\\p{N}])[\\s,.;:!?)(\\p{Emoji_Presentation}\\p{Extended_Pictographic}-]*`,
    'iu',
  );

/** Thanks and farewells in the four languages. */
const CLOSING_PARTS = word(
  String.raw`thanks?(?:\s+(?:you|u|a\s+lot|so\s+much|very\s+much|again|anyway))*|thx|ty|tysm|cheers|bye(?:\s*bye)?|good\s*bye|see\s+(?:you|ya)|have\s+a\s+(?:good|nice|great)\s+(?:day|one|evening)|that(?:'|’)?s\s+(?:all|it|everything)|thats\s+(?:all|it)|all\s+(?:good|set|sorted)|no(?:thing)?\s+(?:more|else)|(?:muchas\s+)?gracias(?:\s+por\s+todo)?|adi[oó]s|hasta\s+(?:luego|pronto)|eso\s+es\s+todo|nada\s+m[aá]s|buen\s+d[ií]a|merci(?:\s+beaucoup|\s+bien)?|au\s+revoir|bonne\s+(?:journée|journee|soirée|soiree)|c(?:'|’)?est\s+tout|(?:vielen\s+)?dank(?:e(?:\s+sch[öo]n)?)?|tsch[üu](?:ss|s)|auf\s+wiedersehen|das\s+wars?|das\s+war(?:'|’)?s|sch[öo]nen\s+tag|ok(?:ay)?|great|perfect|perfecto|parfait|super|genial|and|y|et|und|for\s+(?:the|your)\s+help|for\s+helping|por\s+(?:la|su)\s+ayuda|pour\s+(?:l(?:'|’)|votre\s+)aide|f[üu]r\s+(?:die|ihre)\s+hilfe`,
);

/** Words without which a run of filler is not a closing. */
const ESSENTIAL =
  /\b(?:thanks?|thx|ty|tysm|cheers|bye|goodbye|see you|all|everything|gracias|adi[oó]s|hasta|todo|merci|revoir|journ[ée]e|tout|dank\w*|tsch[üu]s+|wiedersehen|wars?)\b/iu;

/** Consumes `text` with `parts` from the start; true when nothing else is left. */
function madeOf(text: string, parts: RegExp): boolean {
  let rest = text.trim().replace(/^[\s,.;:!?-]+/, '');
  for (let guard = 0; rest && guard < 20; guard++) {
    const match = parts.exec(rest);
    if (!match || match[0].length === 0) return false;
    rest = rest.slice(match[0].length);
  }
  return rest.length === 0;
}

/** Whether a message only thanks or says goodbye. */
export function isClosing(text: string): boolean {
  return text.length <= 120 && ESSENTIAL.test(text) && madeOf(text, CLOSING_PARTS);
}

const YES = word(
  String.raw`yes|yeah|yep|ya|sure|ok(?:ay)?|please|pls|s[ií]|claro|vale|por\s+favor|oui|d(?:'|’)accord|volontiers|s(?:'|’)il\s+vous\s+pla[iî]t|ja|gerne|bitte|jawohl|genau`,
);

/** Whether a message is a short yes ("yes please", "sí, por favor", "oui", "ja gerne"). */
export function isYes(text: string): boolean {
  return text.length <= 40 && madeOf(text, YES);
}
