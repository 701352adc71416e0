/**
 * @module guardrails/moderation-rules-abuse
 * Hate (demeaning or dehumanising a protected group, or asking for it) and harassment (threats,
 * insults, bullying, stalking or doxxing aimed at a person). Mentioning a group, or complaining about
 * someone's racism or a threat received, is neither: the rules need a request for abuse, or an
 * abusive statement.
 */
import type { ModerationRule } from './moderation-rules.ts';
import { GROUP, PERSON, REQUEST, within } from './moderation-vocabulary.ts';

const rule = (category: ModerationRule['category'], source: string): ModerationRule => ({
  category,
  pattern: new RegExp(source),
});

const BIGOTED =
  '(?:racist|sexist|homophobic|transphobic|antisemitic|anti-semitic|islamophobic|bigoted|xenophobic|misogynist(?:ic)?|ableist)';
const CONTENT =
  '(?:jokes?|comments?|remarks?|posts?|tweets?|memes?|captions?|nicknames?|names?|insults?|slurs?|rants?|speech|songs?|poems?|story|stories|things?|something|stuff|messages?|flyers?|copy|stereotypes?)';
const NASTY =
  '(?:offensive|nasty|nastiest|insulting|dirty|hateful|derogatory|demeaning|cruel|vile|disgusting|mean)';
const INFERIOR =
  '(?:vermin|subhuman|sub-human|animals|apes|monkeys|cockroaches|rats|a plague|a disease|a cancer|parasites|inferior|stupid|dumb|dumber|dirty|filthy|thieves|criminals|terrorists|rapists|savages|disgusting|evil|lazy|scum|trash|garbage|a burden|less intelligent|less than human|not human|worthless|too dumb)';

/** Hate: requests for bigoted content, and statements that demean a protected group. */
export const HATE_RULES: readonly ModerationRule[] = [
  rule('hate', String.raw`\b${BIGOTED}\b${within(20)}\b${CONTENT}\b`),
  rule(
    'hate',
    String.raw`\b${NASTY}\b${within(10)}\b${CONTENT}\b${within(30)}\b(?:about|for|on|towards?|against|of|mocking|at)\s+${GROUP}\b`,
  ),
  rule('hate', String.raw`\bsomething ${NASTY}\b${within(10)}\b(?:about|for|to) ${GROUP}\b`),
  rule(
    'hate',
    String.raw`\b(?:write|post|send|give me|generate|compose|make|create)\b${within(20)}\b(?:hateful|hate) (?:comments|messages|posts|speech|mail|tweets)\b`,
  ),
  rule(
    'hate',
    String.raw`\b(?:make|making|makes) fun of ${GROUP}\b|\b(?:mock|mocking|mocks|ridicule|ridiculing|roast|roasting|insult|insulting|demean|demeaning|belittle|belittling|trash[- ]talk)\s+${GROUP}\b`,
  ),
  rule(
    'hate',
    String.raw`\b(?:slurs?|racial epithets?|epithets?)\b${within(12)}\b(?:for|about|against|to call)\b`,
  ),
  rule(
    'hate',
    String.raw`\b${GROUP}\s+(?:are|is|were|being|r)\s+(?:all\s+|just\s+|so\s+|such\s+|naturally\s+|genetically\s+|basically\s+|nothing but\s+|born\s+|too\s+)*${INFERIOR}\b`,
  ),
  rule('hate', String.raw`\bwhy (?:are|do|is)\s+${GROUP}\s+(?:all\s+|always\s+|so\s+)*${INFERIOR}\b`),
  rule(
    'hate',
    String.raw`\b${GROUP}\b${within(50)}\bbecause (?:they|he|she)(?:'re|'s| are| is)\s+(?:all\s+)?${INFERIOR}\b`,
  ),
  rule('hate', String.raw`\b${GROUP}\b[^\n]{0,80}\bbecause (?:they|all of them)(?:'re| are) all\b`),
  rule(
    'hate',
    String.raw`\b${INFERIOR}\b${within(10)}\bbecause (?:he|she|they) (?:is|are|was|were)\s+${GROUP}\b`,
  ),
  rule(
    'hate',
    String.raw`\b${GROUP}\b${within(40)}\b(?:should|must|ought to|need to)\s+(?:all\s+)?(?:be\s+)?(?:driven out|gotten rid of|got rid of|exterminated|wiped out|gassed|killed|eradicated|deported|sterili[sz]ed|locked up)\b`,
  ),
  rule('hate', String.raw`\b${GROUP}\b${within(40)}\b(?:should not|shouldn't|should never) be allowed\b`),
  rule(
    'hate',
    String.raw`\b${GROUP}\s+(?:control|run|own)\s+(?:the )?(?:banks|media|world|government|money)\b`,
  ),
  rule(
    'hate',
    String.raw`\b(?:the \w+ race is superior|(?:white|racial|aryan) (?:supremacy|superiority|power)|master race|superior to all other races)\b|\brace is superior\b`,
  ),
  rule('hate', String.raw`\b(?:faggots?|kikes?|wetbacks?|trann(?:y|ies)|retards?|towelheads?)\b`),
  rule('hate', String.raw`\b(?:mocking|mock|about|for)\s+retarded\b`),
];

const INSULT =
  '(?:worthless|useless|pathetic|stupid|idiot|moron|garbage|trash|ugly|fat|loser|disgusting|piece of (?:shit|garbage|crap)|waste of space|failure|nobody|bitch|cunt|retard)';
const THREAT_WORD =
  '(?:threatening|threat|threats|intimidating|humiliating|cruel|abusive|hurtful|nasty|mean|scary)';
const MESSAGE = '(?:messages?|texts?|emails?|voicemails?|notes?|letters?|posts?|comments?|insults?|dms?)';

/** Harassment: threats, insults, bullying, stalking and doxxing aimed at a person. */
export const HARASSMENT_RULES: readonly ModerationRule[] = [
  rule('harassment', String.raw`\b${REQUEST}\b${within(30)}\b${THREAT_WORD} ${MESSAGE}\b`),
  rule(
    'harassment',
    String.raw`\b(?:telling|tell|call|calling|saying)\s+(?:him|her|them|my \w+|the \w+(?: \w+)?|that \w+)\b${within(30)}\b(?:(?:is|are|he's|she's|they're|a|an|such an?)\s+)?${INSULT}\b`,
  ),
  rule(
    'harassment',
    String.raw`\b(?:should|go|to) kill (?:him|her|them)sel(?:f|ves)\b|\b(?:he|she|they|you) should (?:just )?(?:die|disappear)\b`,
  ),
  rule(
    'harassment',
    String.raw`\b(?:you(?:'re| are)?|ur|u r)\s+(?:a |an |such an? |so |just )?(?:(?:fucking|fuckin|stupid|useless|worthless|pathetic|dumb|ugly)\s+(?:and\s+)?)*(?:idiot|moron|piece of shit|bitch|cunt|retard|loser|ugly|pathetic|worthless)\b`,
  ),
  rule('harassment', String.raw`\b(?:go die|kill yourself|kys)\b`),
  rule('harassment', String.raw`\b(?:dox|doxx|doxing|doxxing)\b`),
  rule(
    'harassment',
    String.raw`\b(?:find|get|look up|give me|post|share|publish|leak|spread)\b${within(20)}\b(?:home address|address|phone number|number|where (?:he|she|they) lives?)\b${within(70)}\b(?:so (?:people|everyone|others) can|show up (?:there|at)|go after|wait outside|confront (?:him|her|them))\b`,
  ),
  rule(
    'harassment',
    String.raw`\b(?:i|we) know where (?:you|he|she|they|his|her|their)\b${within(50)}\b(?:watch out|regret|or else|coming for|be sorry|pay for)\b`,
  ),
  rule(
    'harassment',
    String.raw`\bcoming for you\b|\bwatch your back\b|\b(?:i|we) know where (?:you|he|she|they) (?:live|lives|work|works|sleeps?)\b`,
  ),
  rule(
    'harassment',
    String.raw`\b(?:i|we)(?:'ll| will|'m going to| am going to|'m gonna) (?:find|hunt down|hurt|kill|destroy|ruin)\b${within(20)}\b(?:you|him|her|them)\b`,
  ),
  rule(
    'harassment',
    String.raw`\b(?:stalk|spy on|keep tabs on|secretly (?:track|follow|record|watch))\s+${PERSON}|\b(?:track|follow|monitor|read)\b${within(30)}\b(?:without (?:her|him|them) knowing|behind (?:her|his|their) back)\b`,
  ),
  rule(
    'harassment',
    String.raw`\b${REQUEST}\b${within(20)}\b(?:bully|harass|humiliate|shame|torment|intimidate|terrori[sz]e|cyberbully|troll)\s+(?:${PERSON}|this \w+|that \w+)`,
  ),
  rule(
    'harassment',
    String.raw`\b${REQUEST}\b${within(40)}\b(?:lies|rumou?rs|gossip)\b${within(20)}\babout (?:my|her|him|them|his|their)\b`,
  ),
  rule('harassment', String.raw`\b(?:after|even though|since) (?:she|he|they) blocked me\b`),
  rule(
    'harassment',
    String.raw`\b(?:from|with|using) (?:many|multiple|several|lots of|fake|burner) accounts\b|\bflooded with abuse\b`,
  ),
  rule(
    'harassment',
    String.raw`\bmake (?:my \w+|him|her|them)\s+feel\s+(?:so\s+)?(?:miserable|worthless|scared|afraid|terrified|unwelcome|stupid|ugly)\b`,
  ),
  rule(
    'harassment',
    String.raw`\binsults?\b${within(15)}\b(?:about|for|to (?:send|use))\s+(?:my|his|her|the|that)\b`,
  ),
  rule('harassment', String.raw`\b(?:nobody|no one) (?:likes|loves|wants) you\b`),
  rule(
    'harassment',
    String.raw`\b(?:embarrassing|private|nude) (?:photos|pictures|pics)\b${within(40)}\b(?:didn't want|without (?:her|his|their) (?:consent|permission))\b`,
  ),
];
