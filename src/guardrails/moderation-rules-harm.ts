/**
 * @module guardrails/moderation-rules-harm
 * Self-harm, violence against people or animals, weapons and illegal activity (drugs, fraud, theft,
 * break-ins, hacking someone else). Each rule needs a target or an intent: "kill the process",
 * "shoot a photo", "cut the cable", "attack surface" and "my router got hacked" never match.
 */
import type { ModerationRule } from './moderation-rules.ts';
import { PERSON, REQUEST, within } from './moderation-vocabulary.ts';

const rule = (category: ModerationRule['category'], source: string): ModerationRule => ({
  category,
  pattern: new RegExp(source),
});

/** Self-harm and suicide, including eating-disorder behaviour. */
export const SELF_HARM_RULES: readonly ModerationRule[] = [
  rule(
    'self-harm',
    String.raw`\b(?:kill|killing|hanging|hurting|harming|cutting|starving|poisoning) (?:myself|my self)\b|\b(?:want to|going to|gonna|how (?:do|can|could|should) i|how to|to|will|should i|i'll|i could) (?:hang|hurt|harm|cut|starve|poison|drown|shoot|suffocate) (?:myself|my self)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:end|ending|take|taking) (?:my|my own) life\b|\bend it all\b|\bsuicid\w*|\bself[- ]harm\w*|\bwant to die\b|\bwanna die\b|\bbetter off dead\b|\bnobody would miss me\b|\b(?:don't|do not|no longer) want to (?:live|be alive|exist)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:to|and|so i) (?:not|never) wake up\b|\bnever wake up again\b|\bdie in my sleep\b|\bkill me (?:peacefully|painlessly|quickly)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:most painless|least painful|painless) (?:way|method)s? (?:to (?:die|go|end it|do it)|out)\b|\b(?:which|what) way hurts (?:the )?least\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:way|ways|method|methods|how) to (?:end your (?:own )?life|kill yourself|take your (?:own )?life|commit suicide)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:lethal|fatal|deadly) (?:dose|amount)\b|\b(?:lethal|fatal) if i\b|\boverdose on\b|\bbleed out\b`,
  ),
  rule(
    'self-harm',
    String.raw`\bhow (?:deep|hard|long)\b${within(30)}\b(?:cut|slit)\b${within(20)}\b(?:wrists?|arms?|fatal)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:enough|high enough|far enough)\b${within(10)}\bto (?:die|kill (?:me|myself))\b|\b(?:goodbye|suicide) (?:note|letter)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\bthe pain to stop (?:forever|for good)\b|\bmake myself (?:throw up|vomit|sick)\b|\bhide (?:the|my) (?:scars|cuts)\b`,
  ),
  rule(
    'self-harm',
    String.raw`\b(?:pills|tablets)\b${within(40)}\b(?:lethal|fatal|to die|not wake up|kill me)\b`,
  ),
];

const VIOLENT =
  '(?:kill|murder|poison|stab|strangle|choke|shoot|torture|kidnap|abduct|assassinate|maim|hurt|injure|beat(?: up)?|punch|attack|ambush|drown|run over|knock(?: out)?|hit|suffocate|smother|slap)';

/** Violence against people or animals. */
export const VIOLENCE_RULES: readonly ModerationRule[] = [
  rule('violence', String.raw`\b${REQUEST}\b${within(40)}\b${VIOLENT}\s+(?:up |out )?${PERSON}`),
  rule(
    'violence',
    String.raw`\bto (?:kill|murder|strangle|stab|poison|drown|torture|kidnap|shoot) (?:someone|somebody|a person|him|her|them)\b`,
  ),
  rule('violence', String.raw`\bwhen you (?:stab|shoot|hit|attack|strangle|kill) (?:him|her|them|someone)\b`),
  rule(
    'violence',
    String.raw`\b(?:mass shooting|school shooting|terrorist attack|ethnic cleansing|massacre|mass murder)\b${within(30)}\b(?:plan|how|carry out|organi[sz]e)\b|\b(?:plan|carry out|organi[sz]e)\b${within(20)}\b(?:mass shooting|school shooting|terrorist attack|massacre|bombing)\b`,
  ),
  rule(
    'violence',
    String.raw`\b(?:maximum|mass|most) casualties\b|\bkill as many\b|\bcrowd is (?:largest|biggest)\b|\bwhen you attack\b`,
  ),
  rule(
    'violence',
    String.raw`\bbreak (?:someone|somebody|a person|his|her|their|my \w+)(?:'s)? (?:arm|leg|neck|jaw|nose|ribs|fingers|legs)\b`,
  ),
  rule(
    'violence',
    String.raw`\bset\b${within(30)}\bon fire\b${within(30)}\b(?:inside|while (?:he|she|they)|sleeping)\b`,
  ),
  rule(
    'violence',
    String.raw`\b(?:cause|stage|start|make)\b${within(20)}\b(?:crash|accident|fire|explosion|fall)\b${within(20)}\b(?:kills?|hurts?|injures?|maims?)\s+${PERSON}`,
  ),
  rule('violence', String.raw`\bsabotage\b${within(30)}\b(?:brakes|car|wheels)\b`),
  rule(
    'violence',
    String.raw`\b(?:make|let)\b${within(30)}\b(?:dog|cat|animal|pet|horse)\b${within(10)}\bsuffer\b`,
  ),
  rule(
    'violence',
    String.raw`\b(?:antifreeze|rat poison|arsenic|cyanide|bleach)\b${within(20)}\b(?:in|into) (?:his|her|their|my \w+'s) (?:drinks?|food|coffee|tea|meals?)\b`,
  ),
  rule('violence', String.raw`\b(?:so the bruises don't show|(?:make|making) it look like an accident)\b`),
];

const WEAPON =
  '(?:(?<!(?:bath|photo|seed|glitter|smoke|fizz) )bombs?(?!-proof)|pipe ?bombs?|car bombs?|explosives?(?! gas)|explosive device|ieds?|napalm|molotov(?: cocktails?)?|thermite|detonators?|grenades?|ghost guns?|silencers?|(?<!(?:surge|noise|spark|flash) )suppressors?|untraceable (?:guns?|firearms?)|zip guns?|nerve (?:agent|gas)|sarin|ricin|anthrax|chemical weapons?|bioweapons?|biological weapons?|dirty bomb|tatp|flamethrowers?|chlorine gas|mustard gas|poison gas|the explosive)';

/** Weapons: making or illegally acquiring or modifying them. */
export const WEAPONS_RULES: readonly ModerationRule[] = [
  rule(
    'weapons',
    String.raw`\b(?:make|making|build|building|assemble|manufacture|construct|3d[- ]print|produce|create|mix|extract|synthesi[sz]e|recipe for|instructions for)\b${within(30)}\b${WEAPON}\b`,
  ),
  rule(
    'weapons',
    String.raw`\b${WEAPON}\b${within(40)}\b(?:make it bigger|bigger blast|more damage|blast radius)\b`,
  ),
  rule(
    'weapons',
    String.raw`\b(?:convert|modify|turn)\b${within(30)}\b(?:to|into) (?:fully? )?auto(?:matic)?\b|\bauto sears?\b|\bbump stock\b${within(20)}\bmake\b`,
  ),
  rule('weapons', String.raw`\b(?:drops?|dropping|launch(?:es)?) grenades\b|\bweaponi[sz]e\b`),
  rule(
    'weapons',
    String.raw`\b(?:gun|firearm|rifle|pistol)\b${within(20)}\bwithout (?:a )?background check\b`,
  ),
  rule('weapons', String.raw`\b(?:pierce|penetrate) (?:body )?armou?r\b|\barmou?r[- ]piercing\b`),
  rule(
    'weapons',
    String.raw`\bpoison(?:ed)? (?:crossbow )?(?:bolts?|arrows?|darts?|bullets?)\b|\b(?:bolts?|arrows?|darts?) poisoned\b`,
  ),
  rule('weapons', String.raw`\bfertili[sz]er\b${within(30)}\bfuel oil\b`),
];

const MALWARE = '(?:ransomware|keyloggers?|malware|viruse?s?|trojans?|botnets?|spyware|stalkerware)';

const DRUG =
  '(?:meth|methamphetamine|cocaine|heroin|fentanyl|lsd|mdma|ecstasy|dmt|ghb|ketamine|oxycodone|xanax|weed|marijuana|cannabis|drugs)';

/** Illegal activity: drugs, fraud, theft, break-ins, hacking other people, money laundering. */
export const ILLEGAL_RULES: readonly ModerationRule[] = [
  rule(
    'illegal',
    String.raw`\b(?:cook|cooking|make|making|synthesi[sz]e|produce|manufacture|extract)\b${within(20)}\b(?:meth|methamphetamine|crack cocaine|cocaine|heroin|fentanyl|lsd|mdma|ecstasy|dmt|ghb)\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:buy|sell|get|order|smuggle|ship|deal)\b${within(25)}\b${DRUG}\b${within(40)}\b(?:online|discreetly|without|police|security|airport|border|cops)\b`,
  ),
  rule('illegal', String.raw`\bsmuggl\w*\b${within(20)}\b(?:drugs|cocaine|heroin|weapons|people)\b`),
  rule(
    'illegal',
    String.raw`\b(?:use|using|buy with|cash out|sell|selling)\b${within(12)}\b(?:a|the|some|these) stolen (?:credit |debit )?cards?\b|\b(?:credit )?card numbers that (?:still )?work\b|\b(?:sell|fence|buy) stolen goods\b`,
  ),
  rule(
    'illegal',
    String.raw`\blaunder(?:ing)? (?:the |my |dirty )?(?:money|cash|funds|proceeds)\b|\bmoney laundering\b`,
  ),
  rule(
    'illegal',
    String.raw`\bshoplift\w*\b|\bwithout paying\b${within(30)}\b(?:walk out|leave|take)\b|\b(?:walk|get) out with\b${within(40)}\bwithout paying\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:disable|remove|cut off|defeat|bypass)\b${within(20)}\b(?:anti-theft|security|ink|alarm) tags?\b|\btag\b${within(40)}\balarm (?:won't|will not|doesn't) go off\b`,
  ),
  rule(
    'illegal',
    String.raw`\bcounterfeit (?:money|bills|cash|notes|currency|goods)\b|\bfake (?:ids?|passports?|prescriptions?|doctor's notes?|money|bills)\b`,
  ),
  rule(
    'illegal',
    String.raw`\bforge\b${within(25)}\b(?:prescriptions?|signatures?|checks?|cheques?|documents?|ids?)\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:write|make|create|build|send|design)\b${within(20)}\bphishing\b|\bphishing (?:email|page|site|message|kit)s? (?:to|that)\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:evade|evading|avoid paying) (?:taxes|tax)\b|\btax evasion\b|\bwithout the (?:irs|tax office|hmrc) (?:noticing|knowing)\b`,
  ),
  rule(
    'illegal',
    String.raw`\bpump and dump\b|\b(?:run|start|set up) a ponzi\b|\b(?:file|make|submit|do|get)\b${within(10)}\b(?:fake|fraudulent) (?:returns?|refunds?|claims?)\b|\bget a refund and keep\b`,
  ),
  rule(
    'illegal',
    String.raw`\bhotwir\w*\b|\bbreak into (?:a|an|the|my neighbou?r's|someone's|his|her|their) (?:car|house|home|apartment|flat|shop|store|garage)\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:hack|hacking|break|get) into (?:my |the )?(?:ex's|ex-\w+'s|neighbou?r's|someone's|someone else's|his|her|their|(?:my )?(?:boss|wife|husband|girlfriend|boyfriend|partner|roommate|coworker|sister|brother)'s)\b${within(20)}\b(?:account|email|phone|computer|network|wi-?fi|router|camera|system|server)s?\b`,
  ),
  rule(
    'illegal',
    String.raw`\bhack(?:ing)?\b${within(30)}\b(?:my |the )?(?:neighbou?r|ex|someone|somebody|other people|coworker|boss|girlfriend|boyfriend|wife|husband)\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:into|onto|access|get on|use|join) (?:my |the )?(?:neighbou?r's|someone's|someone else's) (?:wi-?fi|network|router|camera|account)\b${within(30)}\bwithout\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:how (?:do|can|could|would) i|how to|help me|teach me|show me|i (?:want|need) to|can you|please)\b${within(20)}\b(?:write|make|create|code|build|develop|program)\b${within(20)}\b${MALWARE}\b|(?:^|[.!?]\s*)(?:please )?(?:write|code|build|develop|program|make|create) (?:me )?(?:a |an |some )?(?:working )?${MALWARE}\b`,
  ),
  rule(
    'illegal',
    String.raw`\b(?:i (?:want|need|plan) to|how (?:do|can|could) i|help me|how to|so (?:i|we) can|in order to) steal (?:(?:his|her|their|someone's|people's|other people's|customers'|my \w+'s) )?(?:(?!my\b)\w+ )?(?:passwords?|logins?|credentials|identit(?:y|ies)|bank|credit cards?|data)\b`,
  ),
];
