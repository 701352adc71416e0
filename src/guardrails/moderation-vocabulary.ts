/**
 * @module guardrails/moderation-vocabulary
 * Pattern fragments the moderation rules share: how a request is asked, who a person or a protected
 * group is, and who a minor is. Kept as source strings so each rule composes them into one RegExp.
 * The rules look for intent (a request, or a harmful statement about a target), never for a topic
 * word alone: a support knowledge base talks about killing processes and attack surfaces.
 */

/** Up to `n` characters within one sentence. */
export const within = (n: number) => `[^.?!\\n]{0,${n}}`;

/** How a request for something is phrased ("how do I", "tell me", "I want to", "plan"). */
export const REQUEST =
  "(?:how (?:do|can|could|would|should|might) (?:i|we|you|one|someone)|how to|how long|what(?:'s| is) the (?:best|easiest|quickest|fastest|safest) way|best way|easiest way|(?:help|teach|show) me|tell me|give me|explain|(?:i|we) (?:want|need|plan|intend)|i'?m (?:going|gonna|planning)|i am (?:going|planning)|let'?s|write|compose|draft|generate|create|make|instructions|steps|where (?:should|can|do) i|plan)";

/** Nouns for people who can be a target of violence or harassment. */
const PERSON_NOUN =
  '(?:person|people|man|men|woman|women|guy|girl|boy|child|children|kid|kids|baby|wife|husband|boyfriend|girlfriend|partner|ex|brother|sister|mother|mom|mum|father|dad|son|daughter|parents|boss|manager|coworker|co-worker|colleague|neighbou?r|roommate|flatmate|landlord|teacher|student|classmate|driver|delivery (?:driver|man|guy)|cop|police officer|officer|protesters?|crowd|customer|agent|family|stranger|enemy|rival)';

/** A person as the object of a verb: someone, him, my boss, the delivery driver, a police officer. */
export const PERSON = String.raw`(?:someone|somebody|anyone|anybody|a person|him|her|them|(?:my|his|her|their|our|the|a|an|some|that|this) (?:\w+ )?${PERSON_NOUN}s?(?:'s)?)`;

/**
 * Protected groups (ethnicity, nationality, religion, gender, sexual orientation, disability, age).
 * Colour words count only with a people noun, so "the black cable" is not a group.
 */
const GROUP_WORD =
  '(?:mexicans?|jews|jewish|muslims?|islam|arabs?|asians?|chinese|japanese|koreans?|indians?|hindus?|sikhs?|africans?|hispanics?|latinos?|latinas?|roma|gypsies|gypsy|immigrants?|migrants?|refugees?|foreigners?|christians?|catholics?|atheists?|polish|poles|irish|italians?|russians?|ukrainians?|germans?|french|pakistanis?|nigerians?|somalis?|filipinos?|gays?|lesbians?|homosexuals?|bisexuals?|trans|transgender|queers?|women|females?|girls|men|males|disabled|handicapped|cripples?|autistic|the elderly|old people|boomers|blacks|whites)';

/** A protected group as a noun phrase ("Mexicans", "black people", "the Jews", "gay men"). */
export const GROUP = `(?:(?:the |all |most |these |those )?(?:(?:black|white|brown|yellow|gay|trans|disabled|jewish|muslim|asian|arab|chinese|indian|mexican|african|old|elderly|autistic|deaf|blind|polish|female|male) (?:people|persons|folks|men|women|guys|kids|customers|employees|workers|engineers|drivers|neighbou?rs|couples?|person|man|woman)|${GROUP_WORD}))`;

/** Minors. */
export const MINOR =
  "(?:child|children|child's|kid|kids|kid's|minor|minors|underage|under-age|under 18|preteens?|pre-teens?|teens?|teenagers?|young teens?|toddlers?|infants?|schoolgirls?|schoolboys?|middle schoolers?|(?:[1-9]|1[0-7])[- ]?(?:year|yr)s?[- ]?olds?|little (?:girls?|boys?)|young (?:girls?|boys?|kids)|daughter|son|niece|nephew|students?)";

/** Words for sexual content. */
export const SEXUAL_WORD = String.raw`(?:sex(?! offenders?)|sexual|sexually|sexy|seductive|seduce|flirt\w*|nude|nudes|naked(?! (?:copper|wire|eye|flame|bulb|light))|nudity|undress\w*|without clothes|lingerie|porn\w*|erotic\w*|lewd|nsfw|molest\w*|hentai|fondl\w*|have sex|hot (?:pictures|photos|pics|story|stories)|something (?:hot|sexy|dirty))`;

/**
 * Phrases that protect from sexual content ("block porn sites", "adult content filter"); removed
 * before the sexual rules run, so a parent setting up controls is not refused.
 */
export const PROTECTIVE_PHRASES =
  /\b(?:block(?:ing)?|filter(?:ing)?|restrict(?:ing)?|stop(?:ping)?|prevent(?:ing)?|report(?:ing)?|hid(?:e|ing)|(?:can(?:not|'t)|not|never) (?:see|watch|access|view))\s+(?:\w+\s+){0,3}?(?:porn\w*|adult|explicit|sexual|nsfw|nud\w+|mature)\b(?:\s+(?:content|sites?|websites?|material|videos?|images?|pictures?|photos?|pages?|apps?))?|\b(?:explicit|adult|sexual|mature) content (?:filters?|block\w*|warnings?|settings?|ratings?|controls?)|\bparental controls?\b/g;
