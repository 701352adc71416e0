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
  /**
   * When a match counts (see injection-shape.ts); by default always. `request`: not inside a question
   * about how to do something ("how do I dump one database?"). `assistants`: what it names is not
   * qualified as another thing's ("the system prompt of psql"), unless the sentence names the assistant.
   * `object`: as `assistants`, and the match ends its noun phrase ("the internal message format" is a
   * format). `request-to-assistant`: both `request` and `assistants`.
   */
  readonly shape?: 'request' | 'assistants' | 'object' | 'request-to-assistant';
  /**
   * The weight in retrieved passages and tool results, when lower: manuals state what these rules
   * look for ("pg_dump can dump all tables", "runs without confirmation") with nobody to obey them.
   */
  readonly passageWeight?: number;
}

const VERB = String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|abandon|discard|neglect)\b`;
/** Nouns that name the assistant's instructions, whatever qualifies them. */
const INSTRUCTIONS = '(?:instructions?|prompts?|directives?|guardrails?|programming)';
/** Nouns that count only with a qualifier: "override any rule of national law" is law, not an attack. */
const RULES =
  '(?:rules?|guidelines?|constraints?|polic(?:y|ies)|restrictions?|context|messages?|conversation)';
const QUALIFIER =
  '(?:previous|prior|above|earlier|preceding|original|initial|system|safety|developer|content)';

/** Verbs that ask for something to be shown or handed over. */
const ASK = String.raw`\b(?:reveal|show|print|display|repeat|output|tell me|give me|what (?:is|are|were|was)|share|leak|dump|recite|write out|copy|read out|send me)\b`;
/** The assistant's hidden instructions, named with a qualifier. */
const HIDDEN =
  '(?:(?:system|initial|original|hidden|secret|internal|developer|first|real|underlying|base) ){1,2}(?:prompts?|instructions?|directives?|programming|message|rules|configuration)\\b';
/** Verbs that ask for records in bulk. */
const BULK_VERB = String.raw`\b(?:list|show|give me|dump|export|print|output|display|send me|read out|enumerate|share|leak|reveal|tell me)\b`;
/** What is personal or secret whoever holds it. */
const PERSONAL = String.raw`(?:users|customers|accounts|emails?|email addresses|addresses|passwords|api keys|keys|tokens|credit cards|cards|card numbers|phone numbers|employees|tenants|salaries|social security numbers|credentials|secrets)\b`;

/** The rules; order does not matter. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  // Instruction overrides.
  {
    family: 'override',
    weight: 0.9,
    pattern: new RegExp(String.raw`${VERB}[^.!?\n]{0,20}?\b${INSTRUCTIONS}\b`),
    shape: 'assistants',
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
    // A header that starts a clause ("… rules. New instructions: …"), not "what are the new rules: …".
    pattern:
      /(?:^|[.!?:;>"'(\n]\s*|\b(?:here are|these are|follow)(?: the| your| my)? )(?:new|updated|real|actual|true|revised) (?:system )?(?:instructions?|rules|directives?|task)\s*[:-]/m,
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
      /\b(?:do anything now|evil ?bot|jailbroken (?:assistant|ai|model|bot|chatbot|llm|version|mode)|jailbreak (?:yourself|you|the (?:assistant|ai|model|bot|chatbot)|this (?:assistant|ai|model|bot|chat|chatbot)))\b/,
  },
  // Modes are also features of phones, browsers and games ("developer mode on my Pixel"): they count
  // as something the assistant is told to enter, not asked about or qualified as another thing's.
  {
    family: 'persona',
    weight: 0.9,
    pattern: /\b(?:developer|god|sudo|unfiltered|dan|jailbreak|unrestricted|evil|chaos) mode\b/,
    shape: 'request-to-assistant',
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
  // System prompt extraction: the assistant's own instructions, not "the initial configuration of a
  // router" or "the system prompt of psql".
  {
    family: 'prompt-extraction',
    weight: 0.85,
    pattern: new RegExp(
      String.raw`${ASK}[^.!?\n]{0,30}?\b(?:the|its|all|any) (?:(?:own|full|entire|exact|complete|whole|current|first) )?${HIDDEN}`,
    ),
    shape: 'object',
  },
  {
    family: 'prompt-extraction',
    weight: 0.85,
    pattern: new RegExp(
      String.raw`${ASK}[^.!?\n]{0,30}?\byour (?:(?:own|full|entire|exact|complete|whole|current|first) )?${HIDDEN}`,
    ),
  },
  {
    family: 'prompt-extraction',
    weight: 0.85,
    pattern: new RegExp(
      String.raw`${ASK}[^.!?\n]{0,30}?\byour (?:(?:own|full|entire|exact|complete|whole|current) )?(?:prompts?|instructions?|directives?|programming|configuration|guardrails?)\b`,
    ),
    shape: 'assistants',
  },
  {
    family: 'prompt-extraction',
    weight: 0.7,
    pattern:
      /\b(?:repeat|print|output|copy) (?:the |all )?(?:text|words|everything|content) (?:above|before|preceding)\b/,
    shape: 'request',
  },
  // "What are you programmed to do?" is also how people ask what a bot can do: it needs company.
  {
    family: 'prompt-extraction',
    weight: 0.5,
    pattern: /\bwhat (?:were|are) you (?:told|instructed|programmed)\b/,
  },
  {
    family: 'prompt-extraction',
    weight: 0.6,
    pattern: /\b(?:your|the) (?:system prompt|prompt template|pre-?prompt)\b/,
    shape: 'object',
  },
  // Delimiter and markup tricks that try to end the data and start instructions. Tags that exist
  // only in chat templates and our prompt are strong; <document>, <context> and <user> are ordinary
  // XML too (the PostgreSQL manual's xml2 chapter), so they need company.
  {
    family: 'markup',
    weight: 0.9,
    pattern: /<\/?\s*(?:passage|system|instructions?|im_start|im_end|assistant)\b[^>]*>/,
  },
  { family: 'markup', weight: 0.5, pattern: /<\/?\s*(?:user|context|document)\b[^>]*>/ },
  { family: 'markup', weight: 0.9, pattern: /<\|[a-z_]+\|>|\[\/?(?:inst|sys)\]|<<\/?sys>>/ },
  {
    family: 'markup',
    weight: 0.6,
    pattern:
      /^[ \t]*(?:#{2,}|-{3,}|={3,}|\*{3,})[ \t]*(?:system|assistant|instructions?|admin|developer|end of (?:context|passages?|document))\b/m,
  },
  { family: 'markup', weight: 0.6, pattern: /^[ \t]*(?:system|assistant|developer)[ \t]*:[ \t]*\S/m },
  { family: 'markup', weight: 0.6, pattern: /```\s*(?:system|instructions?)\b/ },
  // Exfiltration asks: people's records in bulk, keys, the database. Asked as a request, not as a
  // question about how to do it ("how do I list all users in Active Directory?"); documentation
  // says the same words, so in passages they need company.
  {
    family: 'exfiltration',
    weight: 0.7,
    pattern: new RegExp(
      String.raw`${BULK_VERB}[^.!?\n]{0,15}?\b(?:all|every|each|the entire|the whole|other)\b(?! (?:of )?(?:my|our|mine)\b)[^.!?\n]{0,20}?\b${PERSONAL}`,
    ),
    shape: 'request',
    passageWeight: 0.5,
  },
  // Records that are not personal by themselves (orders, documents) count when they are everyone's.
  {
    family: 'exfiltration',
    weight: 0.7,
    pattern: new RegExp(
      String.raw`${BULK_VERB}[^.!?\n]{0,15}?\b(?:all|every|each|the entire|the whole)\b[^.!?\n]{0,20}?\b(?:orders|records|documents|conversations|invoices|data|files|passages|tickets)\b[^.!?\n]{0,20}?\b(?:of (?:every|all|each|other) (?:customers?|users?|tenants?|accounts?|people)|in the (?:system|database|db)|from (?:every|all|other) (?:customers?|users?|tenants?))\b`,
    ),
    shape: 'request',
    passageWeight: 0.5,
  },
  {
    family: 'exfiltration',
    weight: 0.7,
    pattern:
      /\b(?:other|another) (?:customers?|users?|tenants?|people|persons?)(?:'s?|’s)? (?:orders|data|emails?|addresses|details|records|documents|information|cards|accounts|phone numbers|card numbers|passwords|invoices)\b/,
    shape: 'request',
    passageWeight: 0.5,
  },
  // Secrets and whole databases; a database alone ("dump the database to a file") needs company.
  {
    family: 'exfiltration',
    weight: 0.8,
    pattern:
      /\b(?:dump|exfiltrate|leak|select \*)\b[^.!?\n]{0,20}?\b(?:credentials|secrets|passwords|api keys|from users|users? table|table users|(?:your|the entire|the whole|all the|every) (?:database|db|tables))\b/,
    shape: 'request',
    passageWeight: 0.5,
  },
  {
    family: 'exfiltration',
    weight: 0.5,
    pattern: /\b(?:dump|drop|exfiltrate|leak)\b[^.!?\n]{0,20}?\b(?:database|db|tables?)\b/,
    shape: 'request',
    passageWeight: 0.3,
  },
  {
    family: 'exfiltration',
    weight: 0.6,
    pattern:
      /!\[[^\]]*\]\(https?:\/\/|\b(?:send|post|upload|forward|append)\b[^.!?\n]{0,40}?\b(?:to|into) (?:https?:\/\/|this (?:url|link|address|endpoint))/,
    shape: 'request',
  },
  // Tool forcing: the assistant's tools called by name, now, or without the checks around them.
  {
    family: 'tool-forcing',
    weight: 0.6,
    pattern:
      /\b(?:call|invoke|run|execute|trigger|use)\b (?:the )?(?:tool|function|api|command)\b[^.!?\n]{0,30}?\b(?:now|immediately|right away|without)\b|\b(?:call|invoke|run|execute|trigger) (?:the )?(?:tool|function) [a-z]+_[a-z_]+\b/,
    shape: 'request',
    passageWeight: 0.4,
  },
  {
    family: 'tool-forcing',
    weight: 0.7,
    pattern:
      /\b(?:issue|approve|process|grant|give) (?:a |the )?(?:full )?(?:refund|credit|discount)s? (?:to|for) (?:every|all|any)(?: (?:the|of the))? (?:customers?|users?|accounts?|people|persons?|orders?|one|body|tenants?|clients?)\b|\bwithout (?:asking for |any |an? )?(?:approval|confirmation|verification)\b/,
    shape: 'request',
    passageWeight: 0.4,
  },
  {
    family: 'tool-forcing',
    weight: 0.6,
    pattern: /"(?:tool|function)_?(?:name|call)"\s*:|\b(?:tool_call|function_call)\b/,
  },
];
