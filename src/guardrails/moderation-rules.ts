/**
 * @module guardrails/moderation-rules
 * Small keyword-and-pattern sets for the categories the product must not help with. They look for
 * intent ("how to make a pipe bomb"), not topics: a support knowledge base talks about killing
 * processes, shooting photos and cutting cables.
 */

/** Moderation categories. */
export type ModerationCategory = 'self-harm' | 'violence' | 'sexual-minors' | 'weapons';

/** One rule. */
export interface ModerationRule {
  readonly category: ModerationCategory;
  readonly pattern: RegExp;
}

const MINOR =
  '(?:child|children|kid|kids|minor|minors|underage|under-age|preteen|pre-teen|toddler|infant|schoolgirl|schoolboy|(?:[1-9]|1[0-7])[- ]?(?:year|yr)s?[- ]?old|little (?:girl|boy))';
const SEXUAL = String.raw`(?:sex|sexual|sexually|nude|nudes|naked|porn|pornographic|explicit|erotic|lewd|nsfw|molest\w*|grooming)`;

/** The rules. */
export const MODERATION_RULES: readonly ModerationRule[] = [
  {
    category: 'self-harm',
    pattern:
      /\b(?:kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my (?:own )?life|commit(?:ting)? suicide|suicidal|want to die|(?:hurt|harm|cut)(?:ing)? myself|self[- ]harm)\b/,
  },
  {
    category: 'self-harm',
    pattern:
      /\b(?:how (?:much|many)|lethal dose|overdose)\b[^.?!\n]{0,40}\b(?:pills|sleeping pills|paracetamol|acetaminophen|insulin)\b[^.?!\n]{0,20}\b(?:to die|kill|lethal|fatal)\b/,
  },
  {
    category: 'violence',
    pattern:
      /\b(?:how (?:do i|to|can i|could i)|help me|best way to|i (?:want|am going|'m going) to)\b[^.?!\n]{0,20}\b(?:kill|murder|poison|stab|strangle|shoot|torture|kidnap|assassinate|maim)\b[^.?!\n]{0,12}\b(?:a |an |the |my )?(?:person|people|someone|somebody|him|her|them|wife|husband|boss|neighbou?r|child|kid|man|woman|coworker|colleague|family)\b/,
  },
  {
    category: 'violence',
    pattern:
      /\b(?:mass shooting|school shooting|terrorist attack|ethnic cleansing)\b[^.?!\n]{0,30}\b(?:plan|how|carry out|organi[sz]e)\b/,
  },
  { category: 'sexual-minors', pattern: new RegExp(String.raw`\b${MINOR}\b[^.?!\n]{0,40}\b${SEXUAL}\b`) },
  { category: 'sexual-minors', pattern: new RegExp(String.raw`\b${SEXUAL}\b[^.?!\n]{0,40}\b${MINOR}\b`) },
  { category: 'sexual-minors', pattern: /\b(?:cp|csam|child porn|loli(?:con)?|jailbait)\b/ },
  {
    category: 'weapons',
    pattern:
      /\b(?:how (?:do i|to|can i)|instructions? (?:for|to)|steps? to|guide to|recipe for|help me)\b[^.?!\n]{0,20}\b(?:make|build|assemble|manufacture|synthesi[sz]e|construct|3d[- ]print|produce)\b[^.?!\n]{0,20}\b(?:bombs?|pipe ?bombs?|explosives?|ieds?|napalm|molotov|thermite|detonators?|ghost guns?|silencers?|suppressors?|untraceable (?:gun|firearm)s?|nerve (?:agent|gas)|sarin|ricin|anthrax|chemical weapons?|bioweapons?|dirty bomb)\b/,
  },
  {
    category: 'weapons',
    pattern:
      /\b(?:convert|modify|turn)\b[^.?!\n]{0,30}\b(?:to|into) (?:fully? )?auto(?:matic)?\b|\bauto sears?\b|\bbump stock\b[^.?!\n]{0,20}\bmake\b/,
  },
];

/** The categories `text` (already lower case) matches. */
export function moderationCategories(text: string): ModerationCategory[] {
  const found = new Set<ModerationCategory>();
  for (const rule of MODERATION_RULES) if (rule.pattern.test(text)) found.add(rule.category);
  return [...found];
}
