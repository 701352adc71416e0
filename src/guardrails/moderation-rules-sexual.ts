/**
 * @module guardrails/moderation-rules-sexual
 * Sexual content: adult (explicit scenes, sexting, pornography) and, always blocked, anything sexual
 * about minors. Phrases that protect from such content ("block porn sites for my kids", "adult content
 * filter") are removed before these rules run; "adult sizes" and "naked copper wire" never match.
 */
import type { ModerationRule } from './moderation-rules.ts';
import { MINOR, REQUEST, SEXUAL_WORD, within } from './moderation-vocabulary.ts';

const rule = (category: ModerationRule['category'], source: string): ModerationRule => ({
  category,
  pattern: new RegExp(source),
});

const EXPLICIT = '(?:erotic|steamy|sexual|sexy|dirtiest|filthy|lewd|x-rated|nsfw|kinky|raunchy|smutty)';
const WORK =
  '(?:scenes?|story|stories|fan ?fiction|fanfic|descriptions?|poems?|fantas(?:y|ies)|roleplay|chats?|messages?|jokes?|videos?|pictures?|photos?|images?|script|things?|talk)';

/** Adult sexual content. */
export const SEXUAL_RULES: readonly ModerationRule[] = [
  rule(
    'sexual',
    String.raw`\b(?:sex (?:scenes?|chats?|story|stories|jokes?|tapes?)|sexting|sext|nudes|smut|smutty|erotica|hentai|porn|porno|pornography|pornographic|threesome|orgasms?|oral sex|blow ?jobs?|bdsm|talk dirty|dirty talk|lewd|strip ?tease|lap dance|private show|hook-?up scene|turn me on|(?:as|very) (?:explicit|graphic) as possible|very (?:explicit|graphic)|sexually explicit)\b`,
  ),
  rule('sexual', String.raw`\b${EXPLICIT}\b${within(30)}\b${WORK}\b`),
  rule('sexual', String.raw`\b(?:describe|write|tell)\b${within(40)}\b(?:in bed|to me in bed)\b`),
  rule('sexual', String.raw`\b(?:had|have|having) (?:rough |wild |hot |passionate )?sex\b`),
  rule(
    'sexual',
    String.raw`\bnaked bod(?:y|ies)\b|\bmoan(?:ed|ing|s)? with pleasure\b|\bthrust(?:ed|ing)? (?:deeper|harder|into)\b`,
  ),
  rule(
    'sexual',
    String.raw`\b(?:took|take|taking|tearing|tore|rip(?:ping)?) (?:off )?(?:her|his|their|my|your) clothes(?: off)?\b`,
  ),
  rule('sexual', String.raw`\btouch me (?:everywhere|all over|there)\b|\bwearing nothing but\b`),
  rule('sexual', String.raw`\bsexual (?:fantas(?:y|ies)|things|stuff|acts?|favou?rs|positions?)\b`),
  rule('sexual', String.raw`\b${REQUEST}\b${within(40)}\bsex with\b`),
];

/** Sexual content involving minors: always blocked, whatever the tenant's settings. */
export const SEXUAL_MINORS_RULES: readonly ModerationRule[] = [
  rule('sexual-minors', String.raw`\b${MINOR}\b${within(60)}\b${SEXUAL_WORD}\b`),
  rule('sexual-minors', String.raw`\b${SEXUAL_WORD}\b${within(60)}\b${MINOR}\b`),
  rule(
    'sexual-minors',
    String.raw`\b(?:csam|child porn\w*|loli|lolicon|shota|jailbait|pedo|pedos|pedophiles?|paedophiles?)\b`,
  ),
  rule('sexual-minors', String.raw`\bgroom(?:ing)? (?:a |the |young |little )*${MINOR}\b`),
  rule(
    'sexual-minors',
    String.raw`\b(?:secretly |hidden )?(?:film|record|photograph|spy on)\b${within(20)}\b${MINOR}\b${within(30)}\b(?:changing rooms?|locker rooms?|showers?|bathrooms?|toilets?|undress\w*)\b`,
  ),
  rule(
    'sexual-minors',
    String.raw`\b${MINOR}\b${within(40)}\b(?:touch(?:es|ed|ing)?|kiss(?:es|ed|ing)?)\b${within(30)}\bsexual`,
  ),
];
