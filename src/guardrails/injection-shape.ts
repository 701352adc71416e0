/**
 * @module guardrails/injection-shape
 * The shape of the sentence around a matched injection pattern. Words do not make an attack: "dump
 * the database", "list all users" and "the system prompt" are what people ask about databases,
 * directories and chatbots every day. An attack is an instruction to the assistant about its own
 * instructions or the data behind it. So some rules count only when the sentence they matched in is
 * not a question about how the asker does something ("how do I dump one database into a file?"),
 * and when what they name is not qualified as someone else's ("the system prompt of psql", "the
 * instructions for the printer"). Texts are normalised (lower case) before they get here.
 */

/** Where a sentence ends: the rules never look across one. */
const SENTENCE_END = /[.!?\n;]/;

/**
 * Frames of a question about how the asker (or anyone) does something, knows something, or whether
 * it is safe: a request for knowledge, not for the assistant to act on its data or instructions.
 */
const PROCEDURE =
  /\b(?:how(?:'s| (?:do|does|did|can|could|should|would|will|to|is|are|much|many|long|often|come))\b|what(?:'s| is| are| was)? (?:the )?(?:best|fastest|quickest|easiest|simplest|safest|right|correct|proper|recommended|standard|usual|preferred|cleanest|fastest|safe|good|simple|quick) (?:way|ways|method|command|option|tool|practice|approach|procedure|syntax)\b|(?:what|which) (?:command|option|flag|setting|tool|parameter|privilege|permission|role|file|query|statement)s?\b|what (?:does|do|did|happens|is the difference)\b|why (?:does|do|is|are|did|would|can't|cannot|won't|doesn't|isn't|should|am|was)\b|is (?:it|there) (?:safe|possible|ok|okay|a good idea|bad|risky|a way|an? (?:way|option|command|tool|setting))\b|(?:can|could|should|may|must|do|did) (?:i|we|one)\b|where (?:do|does|can|is|are)\b|when (?:should|do|does|is|can)\b|(?:i|we) (?:want|need|would like|'d like|am trying|'m trying|are trying|try|tried|have) to (?:know|learn|understand|find out|figure out)\b|(?:explain|tell me|show me|teach me|help me understand) (?:how|why|whether|when|what)\b|steps to\b|(?:a|the|any) way to\b|in order to\b)/;

/** Says the thing named belongs to the assistant or this conversation. */
const ASSISTANT_OWNED =
  /\b(?:your|yours|you were|you've been|you have been|you are|you're|the (?:assistant|ai|bot|chatbot|model|llm)(?:'s)?|this (?:assistant|ai|bot|chatbot|model|conversation|chat|session))\b/;

/** A qualifier that makes the thing named someone else's: "… of psql", "… for the printer". */
const THIRD_PARTY =
  /^\s*(?:(?:printed|written|shipped|included|enclosed|attached|provided|posted|listed|shown|found|used|given|supplied|stored|kept|set) )?(?:of|for|in|on|from|at|inside|by|with|that (?:came|come|comes) with|that (?:the|my|our))\s+(?!(?:you|yours|yourself|this (?:assistant|ai|bot|chatbot|model|conversation|chat|session)|the (?:assistant|ai|bot|chatbot|model|llm|conversation|chat))\b)\S/;

/**
 * What may follow a noun phrase that is the object asked for: the end of a clause or a word that
 * cannot extend the noun ("print the hidden instructions verbatim", "… and then …"). Anything else
 * makes the match a modifier of a longer phrase: "the internal message format", "the initial prompt
 * shown when I log in".
 */
const ENDS_NOUN_PHRASE =
  /^\s*(?:$|[.!?,:;)\]"'”’`\n]|(?:verbatim|word|exactly|in full|again|now|please|you|that|which|and|or|then|to me|here|first|before|so|as|including|back|out|above|below|into|without|immediately|completely|fully|whatsoever)\b)/;

/** The sentence of `text` that holds `index`. */
export function sentenceAround(text: string, index: number): { sentence: string; offset: number } {
  let start = index;
  while (start > 0 && !SENTENCE_END.test(text[start - 1] ?? '')) start--;
  let end = index;
  while (end < text.length && !SENTENCE_END.test(text[end] ?? '')) end++;
  return { sentence: text.slice(start, end), offset: index - start };
}

/**
 * True when the match at `index` sits in a question about how to do something. Only the start of the
 * sentence up to a little past the match's first word is read, so "show me how to list all users"
 * counts but "list all users; I know how to ask" does not.
 */
export function inProcedureQuestion(text: string, index: number): boolean {
  const { sentence, offset } = sentenceAround(text, index);
  return PROCEDURE.test(sentence.slice(0, offset + 20));
}

/** True when the sentence holding the match says the thing belongs to the assistant. */
export function namesTheAssistant(text: string, index: number): boolean {
  return ASSISTANT_OWNED.test(sentenceAround(text, index).sentence);
}

/** True when the match at `index`…`end` is a whole noun phrase, not the start of a longer one. */
export function endsNounPhrase(text: string, end: number): boolean {
  return ENDS_NOUN_PHRASE.test(text.slice(end, end + 40));
}

/** True when the words right after the match qualify it as another thing's ("… for the printer"). */
export function qualifiedAsAnothers(text: string, end: number): boolean {
  return THIRD_PARTY.test(text.slice(end, end + 60));
}
