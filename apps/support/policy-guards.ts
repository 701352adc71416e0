/**
 * @module support/policy-guards
 * Patterns the no-LLM policy checks before routing: sensitive topics go to a person, and attempts to
 * override the assistant's instructions are refused.
 */

/** Legal threats, safety hazards and injuries: a person handles these. */
const SENSITIVE =
  /\b(lawyer|attorney|legal action|lawsuit|sue|suing|court|fire|smoke|smoking|burn(?:ed|t|ing)?|melt(?:ed|ing)?|sparks|sparking|electric shock|shocked|injur(?:y|ed|ies)|hurt|carbon monoxide|gas leak)\b/i;

/** Attempts to change the assistant's rules or reach other customers' data. */
const INJECTION =
  /\b(ignore (?:all |any |your |the |previous |prior )*(?:instructions|rules|prompt)|system prompt|developer mode|jailbreak|pretend (?:you are|to be)|act as (?:an? )?(?:admin|administrator|developer)|(?:list|show|dump|give me) (?:all|every) (?:orders|customers|emails)|other customers?'? (?:orders|data|emails))\b/i;

/** Whether a message raises a sensitive topic. */
export function isSensitive(text: string): boolean {
  return SENSITIVE.test(text);
}

/** Whether a message tries to override the instructions or read other customers' data. */
export function isInjection(text: string): boolean {
  return INJECTION.test(text);
}

/** Whether a troubleshooting follow-up says the last steps did not help. */
export function saysItDidNotHelp(text: string): boolean {
  return /\b(still (?:not|doesn'?t|won'?t|isn'?t|no)|didn'?t (?:help|work|fix)|did not (?:help|work)|no luck|same problem|not fixed)\b/i.test(
    text,
  );
}
