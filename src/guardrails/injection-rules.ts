/**
 * @module guardrails/injection-rules
 * Known prompt-injection patterns, each with a weight in 0…1 and a family. The weights were set so
 * that one strong signal (an explicit instruction override, a system-prompt extraction) passes the
 * default threshold alone, while weak signals (a bare "act as", "you are now") need company: those
 * words turn up in ordinary support questions. Patterns run on normalised text (see injection.ts).
 */

/** Families of injection, as reported in decisions and traces. */
export type InjectionFamily =
  | 'override'
  | 'persona'
  | 'prompt-extraction'
  | 'markup'
  | 'encoded'
  | 'exfiltration'
  | 'tool-forcing';

/** One pattern. */
export interface InjectionRule {
  readonly family: InjectionFamily;
  readonly weight: number;
  readonly pattern: RegExp;
}

const VERB = String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|abandon|discard|neglect)\b`;
/** Nouns that name the assistant's instructions, whatever qualifies them. */
const INSTRUCTIONS = '(?:instructions?|prompts?|directives?|guardrails?|programming)';
/** Nouns that count only with a qualifier: "override any rule of national law" is law, not an attack. */
const RULES =
  '(?:rules?|guidelines?|constraints?|polic(?:y|ies)|restrictions?|context|messages?|conversation)';
const QUALIFIER =
  '(?:previous|prior|above|earlier|preceding|original|initial|system|safety|developer|content)';

/** The rules; order does not matter. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  // Instruction overrides.
  {
    family: 'override',
    weight: 0.9,
    pattern: new RegExp(String.raw`${VERB}[^.!?\n]{0,20}?\b${INSTRUCTIONS}\b`),
  },
  {
    family: 'override',
    weight: 0.8,
    pattern: new RegExp(
      String.raw`${VERB} (?:all |any |every )?(?:of )?(?:(?:your|the|these|those) )?${QUALIFIER} ${RULES}\b`,
    ),
  },
  {
    family: 'override',
    weight: 0.8,
    pattern: new RegExp(String.raw`${VERB} (?:all |any |every )?(?:of )?your (?:own )?${RULES}\b`),
  },
  {
    family: 'override',
    weight: 0.7,
    pattern: /\bforget (?:everything|all)(?: you (?:know|were told|have been told))?\b/,
  },
  {
    family: 'override',
    weight: 0.6,
    pattern:
      /\b(?:new|updated|real|actual|true|revised) (?:system )?(?:instructions?|rules|directives?|task)\s*[:-]/,
  },
  {
    family: 'override',
    weight: 0.5,
    pattern: /\b(?:from now on|starting now|henceforth),? (?:you|always|never|only)\b/,
  },
  { family: 'override', weight: 0.5, pattern: /\bdo not (?:follow|obey|listen to) (?:your|the|any)\b/ },
  {
    family: 'override',
    weight: 0.6,
    pattern:
      /\b(?:important|attention|urgent|note) (?:to|for) (?:the )?(?:ai|assistant|model|llm|chatbot|bot)\b/,
  },
  {
    family: 'override',
    weight: 0.5,
    pattern:
      /\b(?:ai|assistant|model|llm|chatbot),? (?:you must|you should|please) (?:now )?(?:ignore|tell|say|reply|respond|answer|output|include)\b/,
  },
  // Role play and jailbreak personas.
  {
    family: 'persona',
    weight: 0.9,
    pattern:
      /\b(?:do anything now|evil ?bot|jailbr(?:eak|oken)|developer mode|god mode|sudo mode|unfiltered mode|dan mode)\b/,
  },
  // DAN is also a name: it counts only as what the assistant is told to be.
  {
    family: 'persona',
    weight: 0.6,
    pattern: /\b(?:you are|you're|as|become) (?:now )?dan\b|\bdan,/,
  },
  // Common in prose ("no limitations"), so it needs company to pass a threshold.
  {
    family: 'persona',
    weight: 0.45,
    pattern:
      /\b(?:without|no|free (?:of|from)|ignore (?:all|any)) (?:any )?(?:restrictions|filters|limitations|censorship|guidelines|rules|ethics|morals)\b/,
  },
  {
    family: 'persona',
    weight: 0.35,
    pattern:
      /\b(?:you are now|you're now|from now on you are|pretend (?:to be|you are|that you)|act as (?:if|an?|my)|roleplay|role-play|play the role|simulate (?:an?|being))\b/,
  },
  {
    family: 'persona',
    weight: 0.5,
    pattern:
      /\b(?:stay in character|never break character|you have been freed|you are free now|as an unrestricted)\b/,
  },
  // System prompt extraction.
  {
    family: 'prompt-extraction',
    weight: 0.85,
    pattern:
      /\b(?:reveal|show|print|display|repeat|output|tell me|give me|what (?:is|are|were)|share|leak|dump|recite|write out|copy)\b[^.!?\n]{0,30}?\b(?:system|initial|original|hidden|secret|internal|developer|first) (?:prompt|instructions?|message|rules|directives?|configuration)\b/,
  },
  {
    family: 'prompt-extraction',
    weight: 0.7,
    pattern:
      /\b(?:repeat|print|output|copy) (?:the |all )?(?:text|words|everything|content) (?:above|before|preceding)\b/,
  },
  {
    family: 'prompt-extraction',
    weight: 0.6,
    pattern: /\bwhat (?:were|are) you (?:told|instructed|programmed)\b/,
  },
  {
    family: 'prompt-extraction',
    weight: 0.6,
    pattern: /\b(?:your|the) (?:system prompt|prompt template|pre-?prompt)\b/,
  },
  // Delimiter and markup tricks that try to end the data and start instructions.
  {
    family: 'markup',
    weight: 0.9,
    pattern:
      /<\/?\s*(?:passage|system|instructions?|im_start|im_end|assistant|user|context|document)\b[^>]*>/,
  },
  { family: 'markup', weight: 0.9, pattern: /<\|[a-z_]+\|>|\[\/?(?:inst|sys)\]|<<\/?sys>>/ },
  {
    family: 'markup',
    weight: 0.6,
    pattern:
      /^[ \t]*(?:#{2,}|-{3,}|={3,}|\*{3,})[ \t]*(?:system|assistant|instructions?|admin|developer|end of (?:context|passages?|document))\b/m,
  },
  { family: 'markup', weight: 0.6, pattern: /^[ \t]*(?:system|assistant|developer)[ \t]*:[ \t]*\S/m },
  { family: 'markup', weight: 0.6, pattern: /```\s*(?:system|instructions?)\b/ },
  // Exfiltration asks: other people's records in bulk, keys, the database.
  {
    family: 'exfiltration',
    weight: 0.7,
    pattern:
      /\b(?:list|show|give me|dump|export|print|output|display|send me|read out|enumerate)\b[^.!?\n]{0,15}?\b(?:all|every|each|the entire|the whole|other)\b(?! (?:of )?(?:my|our|mine)\b)[^.!?\n]{0,15}?\b(?:orders|users|customers|accounts|emails?|email addresses|addresses|passwords|api keys|keys|tokens|credit cards|cards|phone numbers|records|tenants|documents|conversations|invoices|employees)\b/,
  },
  {
    family: 'exfiltration',
    weight: 0.7,
    pattern:
      /\b(?:other|another) (?:customers?|users?|tenants?|people|persons?)(?:'s?|’s)? (?:orders|data|emails?|addresses|details|records|documents|information|cards|accounts)\b/,
  },
  {
    family: 'exfiltration',
    weight: 0.8,
    pattern:
      /\b(?:dump|drop|select \*|exfiltrate|leak)\b[^.!?\n]{0,20}?\b(?:database|db|tables?|from users|credentials|secrets)\b/,
  },
  {
    family: 'exfiltration',
    weight: 0.6,
    pattern:
      /!\[[^\]]*\]\(https?:\/\/|\b(?:send|post|upload|forward|append)\b[^.!?\n]{0,40}?\b(?:to|into) (?:https?:\/\/|this (?:url|link|address|endpoint))/,
  },
  // Tool forcing.
  {
    family: 'tool-forcing',
    weight: 0.6,
    pattern:
      /\b(?:call|invoke|run|execute|trigger|use)\b (?:the )?(?:tool|function|api|command)\b[^.!?\n]{0,30}?\b(?:with|now|immediately|without)\b/,
  },
  {
    family: 'tool-forcing',
    weight: 0.7,
    pattern:
      /\b(?:issue|approve|process|grant) (?:a |the )?(?:full )?(?:refund|credit|discount)s? (?:to|for) (?:every|all|any)\b|\bwithout (?:asking for )?(?:approval|confirmation|verification)\b/,
  },
  {
    family: 'tool-forcing',
    weight: 0.6,
    pattern: /"(?:tool|function)_?(?:name|call)"\s*:|\b(?:tool_call|function_call)\b/,
  },
];
