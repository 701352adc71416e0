/**
 * @module guardrails/stereotyping
 * Flags answers that generalise about a protected group ("women are bad at …", "people from X are
 * …", "older customers tend to struggle …", "as a woman, you might find …"). Mentioning a group is
 * fine ("customers from Canada pay duties", "the senior discount applies over 65"); ascribing a trait
 * or ability to all of it is not. Output stage only; what happens is the tenant's `stereotyping`
 * action (block by default, escalate or log), like moderation.
 */
import type { Guardrail, GuardrailDecision } from '../spec/guardrails.ts';
import type { GuardrailActionSource } from '../spec/moderation.ts';
import { normalise } from './injection.ts';
import { STATIC_ACTIONS } from './moderation-guardrail.ts';
import { GROUP, within } from './moderation-vocabulary.ts';

const PROTECTED_ADJECTIVE =
  '(?:black|white|brown|asian|arab|african|hispanic|latino|latina|mexican|indian|chinese|japanese|muslim|jewish|christian|catholic|hindu|sikh|buddhist|atheist|gay|lesbian|trans|transgender|disabled|handicapped|blind|deaf|autistic|old|older|elderly|young|younger|female|male|foreign|immigrant)';
const NATIONALITY =
  '(?:americans|british|brits|english|scots|germans|french|italians|spaniards|canadians|australians|dutch|swedes|danes|norwegians|russians|ukrainians|poles|chinese|japanese|koreans|indians|pakistanis|mexicans|brazilians|africans|nigerians|europeans|asians|arabs|turks|greeks|irish|filipinos|vietnamese)';
const NATIONAL_ADJECTIVE =
  '(?:american|british|english|scottish|german|french|italian|spanish|canadian|australian|dutch|swedish|russian|ukrainian|polish|korean|pakistani|brazilian|nigerian|european|turkish|greek|irish|filipino|vietnamese)';
/** A group of people by a protected attribute, as a generalisation names it. */
const PEOPLE = `(?:${GROUP}|(?:the |all |most )?(?:${PROTECTED_ADJECTIVE}|${NATIONAL_ADJECTIVE}) (?:people|persons|folks|customers|users|adults|buyers|clients|shoppers|men|women|guys|ladies|drivers|workers)|people from (?:[a-z]+ ?){1,2}|(?:the |all |most )?${NATIONALITY}|seniors|old folks|millennials|boomers)`;
const ADVERB =
  '(?:all|always|usually|generally|typically|often|mostly|naturally|inherently|simply|just|so|very|really|more|less|notoriously|known to be|by nature)';
const TRAIT =
  '(?:bad|worse|worst|terrible|hopeless|poor|useless|good|better|best|great|smarter|dumber|stupid|dumb|slow|slower|lazy|emotional|hysterical|aggressive|violent|greedy|cheap|stingy|dishonest|untrustworthy|criminals?|incapable|unable|weak|inferior|superior|particular|picky|demanding|difficult|rude|loud|late|careless|irresponsible|clueless|confused|bossy|fussy|sensitive|primitive|backward|fanatical|too \\w+|(?:more|less) likely to|not (?:good|smart|capable|able|technical)|the same|all alike|scammers|thieves|liars|cheats|frauds|crooks|terrorists|drunks)';
const BEHAVIOUR =
  '(?:struggle|have trouble|fail|understand|get it|read|handle|drive|cope|haggle|complain|lie|cheat|steal|pay late|know how|care|use|follow|learn|figure)';
const ADDRESSED = `(?:an? )?(?:woman|man|girl|lady|senior|immigrant|foreigner|muslim|jew|christian|hindu|elderly|old|blind|deaf|${PROTECTED_ADJECTIVE} (?:person|woman|man|customer|lady|guy|user))`;

/** The patterns, compiled once. */
const STEREOTYPE_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\b${PEOPLE}\\s+(?:are|is|were)\\s+(?:${ADVERB}\\s+)*${TRAIT}\\b`),
  new RegExp(
    `\\b${PEOPLE}\\s+(?:(?:can't|cannot|don't|do not|won't|just)\\s+)*(?:always|usually|generally|typically|often|tend to|never|rarely|constantly|inevitably)\\s+(?:don't |do not |can't |cannot )?\\w+`,
  ),
  new RegExp(`\\b${PEOPLE}\\s+(?:can't|cannot|don't|do not|won't)\\s+${BEHAVIOUR}\\b`),
  new RegExp(
    `\\b(?:as|since you(?:'re| are)|because you(?:'re| are)|being)\\s+${ADDRESSED}\\b${within(40)}\\b(?:you(?:'ll| will)? (?:probably|likely|might|may|won't|will not|can't|cannot|must|should)|probably|might find|may find|won't understand|will not understand|hard for you|difficult for you|confusing for you|too (?:hard|difficult|complicated))`,
  ),
  new RegExp(
    `\\b(?:given|because of|at) your (?:age|gender|sex|religion|faith|background|nationality|ethnicity|race|disability|condition)\\b${within(40)}\\b(?:might|may|probably|too|hard|difficult|confusing|won't|will not|can't|cannot)\\b`,
  ),
  new RegExp(`\\b(?:typical of|so typical for|like (?:all|most|every|other|many))\\s+(?:an? )?${PEOPLE}\\b`),
];

/** The stereotyping sentences of `text`, as found (empty when there is none). */
export function findStereotypes(text: string): string[] {
  const plain = normalise(text).replace(/[‘’`´]/g, "'");
  const found: string[] = [];
  for (const pattern of STEREOTYPE_PATTERNS) {
    const match = pattern.exec(plain);
    if (match) found.push(match[0]);
  }
  return found;
}

/** Codes of stereotyping decisions. */
export const STEREOTYPING_CODES = {
  block: 'guardrail_stereotyping',
  escalate: 'guardrail_stereotyping_escalated',
  log: 'guardrail_stereotyping_logged',
} as const;

/**
 * The stereotyping guardrail (output stage).
 *
 * @example
 * const stereotyping = createStereotypingGuardrail({ actions: settingsService });
 */
export function createStereotypingGuardrail(options: { actions?: GuardrailActionSource } = {}): Guardrail {
  const source = options.actions ?? STATIC_ACTIONS;
  return {
    name: 'stereotyping',
    stages: ['output'],
    async check(text, context): Promise<GuardrailDecision> {
      const found = findStereotypes(text);
      if (found.length === 0)
        return { action: 'allow', code: 'ok', reason: 'No generalisation about a group.' };
      const action = (await source.actionsFor(context.tenantId)).stereotyping;
      const reasons = {
        block: 'The answer generalised about a group of people, so it was withheld.',
        escalate:
          'The answer generalised about a group of people; it was withheld and passed to a member of our team.',
        log: 'The answer generalised about a group of people; allowed and recorded, as this tenant’s settings ask.',
      } as const;
      return {
        action,
        code: STEREOTYPING_CODES[action],
        categories: ['stereotyping'],
        reason: reasons[action],
      };
    },
  };
}
