/**
 * @module agents/consent/request-form
 * Whether a customer's message asks for an action or only mentions it: a question about it ("can I
 * return…?", "who pays shipping if I return…"), a hypothetical or condition ("if it doesn't arrive by
 * Friday…", "suppose I sent it back…"), or a negation ("I do NOT want to return anything"). Only a
 * `request` may lead to a proposed action; the runtime checks this, not a prompt. English, Spanish,
 * French and German cues; anything unclear counts as not a request, because asking again is cheap
 * and an unwanted return is not.
 */

/** How a message relates to an action it mentions. */
export type RequestForm = 'request' | 'question' | 'hypothetical' | 'negated';

/** Polite imperatives are requests, whatever their question mark. */
const POLITE_REQUEST =
  /^(?:(?:hi|hello|hey|ok|okay|so|well|then|and|yes|yeah)[,!.\s]+)*(?:(?:can|could|would|will) you(?: please)?|please|kindly|i(?:'d| would) like (?:you )?to|i want (?:you )?to|i need (?:you )?to|i wish to|go ahead and|puede[s]? |podr[ií]a[s]? |pourriez-vous |pouvez-vous |k[öo]nnen sie )\b/i;

/** Words that make what follows a condition or a supposition. */
const HYPOTHETICAL =
  /\b(?:if|in case|suppose|supposing|assuming|hypothetically|what if|were i to|should i (?:decide|choose)|unless|in the event|si|suponiendo|au cas o[uù]|falls|wenn)\b/i;

/** Conditions that are only politeness ("if possible"), not a supposition. */
const POLITE_CONDITION =
  /\b(?:if (?:possible|you can|you could|you don'?t mind|that'?s (?:ok|okay|alright|fine|possible)|it'?s (?:ok|okay|possible|not too much trouble))|si es posible|si possible|wenn m[öo]glich)\b/i;

/** A negation of wanting, or a withdrawal of, the action. */
const NEGATED =
  /\b(?:(?:do|does|did) ?n[o']?t|don'?t|dont|not|never|no longer|no need to|nothing to|never ?mind|forget (?:about )?(?:it|the)|cancel (?:the|my) (?:return|refund) request|no quiero|je ne veux pas|ich (?:m[öo]chte|will) (?:nicht|kein))(?:\s+(?!and\b|but\b|so\b|because\b)[\w']+){0,2}?\s+(?:want|wish|need|plan|intend|going|like|return|returning|refund|refunding|cancel|cancelling|canceling|send|sending|the return|the refund|anything|devolver|reembolso|retourner|rembourser|zur[üu]ck|erstatt)/i;

/** A question the customer asks about the action rather than for it. */
const QUESTION_START =
  /^(?:(?:hi|hello|hey|so|and|but|also|ok|okay|quick question)[,!.:\s]+)*(?:how|what|who|whom|whose|when|where|why|which|is|are|am|was|does|do|did|can i|could i|may i|should i|would i|will i|shall i|is it|are there|do i|have i|qu[eé]|c[oó]mo|cu[aá]ndo|qui|comment|quand|est-ce que|wie|was|wer|wann|kann ich)\b/i;

/** Whether `text` asks for an action, or only asks about, supposes or negates it. */
export function requestForm(text: string): RequestForm {
  const message = text.trim();
  const politeRequest = POLITE_REQUEST.test(message);
  const withoutPoliteness = message.replace(POLITE_CONDITION, ' ');
  if (HYPOTHETICAL.test(withoutPoliteness)) return 'hypothetical';
  if (NEGATED.test(withoutPoliteness)) return 'negated';
  if (politeRequest) return 'request';
  if (/\?\s*$/.test(message) || /\?/.test(message) || QUESTION_START.test(message)) return 'question';
  return 'request';
}
