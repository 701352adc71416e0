/**
 * @module guardrails/pii
 * Finds personal data and secrets in text, and replaces them: with typed placeholders that can be put
 * back (`[EMAIL_1]`, so an answer written from redacted text can still address the user), or with a
 * plain type label for logs and traces. Pattern-based and checksum-checked where the format has one
 * (Luhn for cards, mod-97 for IBANs), so long order numbers and dates are not mistaken for cards.
 */

/** Kinds of personal data and secrets recognised. */
export const PII_TYPES = [
  'email',
  'phone',
  'card',
  'iban',
  'national_id',
  'address',
  'ip',
  'secret',
] as const;

/** One of `PII_TYPES`. */
export type PiiType = (typeof PII_TYPES)[number];

/** One finding: where it is and what it is. */
export interface PiiEntity {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface Detector {
  readonly type: PiiType;
  readonly pattern: RegExp;
  /**
   * Rejects matches that look right but fail the format's own check, or whose context says they are
   * something else (the text before an IPv4-shaped match says `version`).
   */
  readonly valid?: (match: string, text: string, start: number) => boolean;
  /**
   * A cheap necessary condition for any match (a character or prefix every match contains), so the
   * pattern, which may backtrack at every position, runs only on text that could hold a finding.
   */
  readonly mayMatch: (text: string) => boolean;
}

const HAS_DIGIT = /\d/;
const hasDigit = (text: string) => HAS_DIGIT.test(text);
const SECRET_PREFIXES = ['gw_', 'sk-', 'AKIA', 'Bearer', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'];

/** An IBAN's country and check digits, right before a match that would otherwise be a card. */
const IBAN_HEAD = /[A-Z]{2}\d{2} ?$/;
/** Words that introduce a dotted number that is a version, not an address. */
const VERSION_CONTEXT =
  /\b(?:version|ver\.?|v|build|release|firmware|fw|rev(?:ision)?|oid|kernel)\s*[:#]?\s*$/i;
/** What a Canadian social insurance number is introduced by. */
const SIN_CONTEXT = /\b(?:SIN|NAS|social insurance(?: number)?)\s*(?:no\.?|number|#)?\s*[:#]?\s*$/i;
const H16 = '[0-9A-Fa-f]{1,4}';
/** IPv6, full or compressed (`::`), not inside a longer run of hex and colons. */
const IPV6 = new RegExp(
  `(?<![\\w:])(?:(?:${H16}:){7}${H16}|(?:${H16}:){1,7}:(?!:)|(?:${H16}:){1,6}:${H16}|(?:${H16}:){1,5}(?::${H16}){1,2}|(?:${H16}:){1,4}(?::${H16}){1,3}|(?:${H16}:){1,3}(?::${H16}){1,4}|(?:${H16}:){1,2}(?::${H16}){1,5}|${H16}:(?::${H16}){1,6}|::(?:${H16}:){0,5}${H16})(?![\\w:])`,
  'g',
);

// Order matters: earlier detectors win where matches overlap (a key before the digits inside it).
const DETECTORS: readonly Detector[] = [
  {
    type: 'secret',
    mayMatch: (text) => SECRET_PREFIXES.some((prefix) => text.includes(prefix)),
    pattern:
      /\bgw_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}|\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}|\bAKIA[0-9A-Z]{16}\b|\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*|\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  },
  {
    type: 'email',
    mayMatch: (text) => text.includes('@'),
    // The local part allows every character RFC 5322 allows unquoted, not only the common ones.
    pattern:
      /(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
  },
  {
    type: 'ip',
    mayMatch: (text) => text.includes(':'),
    pattern: IPV6,
    valid: (match) =>
      /\d/.test(match) && (match.includes('::') ? match.split(/:+/).filter(Boolean).length >= 2 : true),
  },
  {
    type: 'iban',
    mayMatch: hasDigit,
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g,
    valid: (match) => ibanChecksumValid(match.replace(/ /g, '')),
  },
  {
    type: 'card',
    mayMatch: hasDigit,
    pattern: /\b\d(?:[ -]?\d){12,18}\b/g,
    // The digits of an account number whose IBAN check failed are not a card because they pass Luhn.
    valid: (match, text, start) =>
      luhnValid(digits(match)) && !IBAN_HEAD.test(text.slice(Math.max(0, start - 6), start)),
  },
  {
    type: 'national_id',
    mayMatch: hasDigit,
    // US social security numbers (not 000, 666 or 9xx areas) and UK national insurance numbers.
    pattern:
      /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b|\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
  },
  {
    type: 'national_id',
    mayMatch: hasDigit,
    // Spanish DNI and NIE (their check letter is verified), and Canadian social insurance numbers
    // (Luhn, and only where the text says SIN: nine grouped digits are too common otherwise).
    pattern: /\b(?:\d{8}|[XYZ]\d{7})[A-HJ-NP-TV-Z]\b|\b\d{3}[ -]\d{3}[ -]\d{3}\b/g,
    valid: (match, text, start) =>
      /[A-Z]$/.test(match)
        ? spanishIdValid(match)
        : luhnValid(digits(match), 9) && SIN_CONTEXT.test(text.slice(Math.max(0, start - 30), start)),
  },
  {
    type: 'phone',
    mayMatch: hasDigit,
    // A country code may be followed by a one-digit area code (+33 1, +61 2, +353 1); North American
    // numbers may carry their `1-` trunk prefix.
    pattern:
      /(?<![\w-])(?:\+\d{1,3}[ .-]?(?:\d[ .-])?|1[ .-])?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?![\w-])/g,
    valid: (match) => {
      const count = digits(match).length;
      // A phone has 10-15 digits and reads like one: an international or trunk prefix, or the North
      // American 3-3-4 grouping. Other digit runs are ids, serials or amounts.
      return (
        count >= 10 &&
        count <= 15 &&
        (/^[+(0]/.test(match) || /^(?:1[ .-])?\d{3}[ .-]\d{3}[ .-]\d{4}$/.test(match))
      );
    },
  },
  {
    type: 'ip',
    mayMatch: hasDigit,
    // Four octets that are not part of a longer dotted number (an OID, a four-part version), and not
    // introduced as a version or build.
    pattern: /(?<!\d\.)\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b(?!\.\d)/g,
    valid: (_match, text, start) => !VERSION_CONTEXT.test(text.slice(Math.max(0, start - 20), start)),
  },
  {
    type: 'address',
    mayMatch: hasDigit,
    pattern:
      /\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Close)\b\.?/g,
  },
  {
    type: 'address',
    mayMatch: hasDigit,
    // German, Austrian and Swiss streets (the type is part of the name, the number follows) and
    // French ones (number, type in lower case, then the name).
    pattern:
      /\b\p{Lu}\p{Ll}+(?:straße|strasse|str\.|gasse|weg|allee|platz|ring|damm|ufer)\s+\d{1,4}[a-z]?\b|\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|cours)\s+(?:(?:de|du|des|la|le|d'|l')\s*)*\p{Lu}[\p{L}'-]*(?:[ -]\p{Lu}[\p{L}'-]*)*/gu,
  },
];

/** Every finding in `text`, in order, without overlaps. */
export function detectPii(text: string, types?: readonly PiiType[]): PiiEntity[] {
  const found: PiiEntity[] = [];
  for (const detector of DETECTORS) {
    if (types && !types.includes(detector.type)) continue;
    if (!detector.mayMatch(text)) continue;
    for (const match of text.matchAll(detector.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (detector.valid && !detector.valid(match[0], text, start)) continue;
      if (found.some((other) => start < other.end && other.start < end)) continue;
      found.push({ type: detector.type, start, end, text: match[0] });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Placeholders and the values they stand for, shared across the texts of one conversation so the
 * same email gets the same placeholder everywhere.
 */
export class PiiVault {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counts = new Map<PiiType, number>();

  /** The placeholder for a value, minted on first sight. */
  placeholderFor(type: PiiType, value: string): string {
    const known = this.byValue.get(value);
    if (known) return known;
    const n = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, n);
    const placeholder = `[${type.toUpperCase()}_${n}]`;
    this.byValue.set(value, placeholder);
    this.byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  /** Puts the original values back in text written from redacted text. */
  restore(text: string): string {
    return text.replace(
      /\[[A-Z_]+_\d+\]/g,
      (placeholder) => this.byPlaceholder.get(placeholder) ?? placeholder,
    );
  }

  get size(): number {
    return this.byPlaceholder.size;
  }
}

/** Redacted text and what was taken out. */
export interface Redaction {
  readonly text: string;
  readonly entities: readonly PiiEntity[];
}

/**
 * Replaces personal data with reversible placeholders kept in `vault`.
 *
 * @example
 * const vault = new PiiVault();
 * const { text } = redactPii('Mail me at ana@example.com', vault); // 'Mail me at [EMAIL_1]'
 * vault.restore('Sent to [EMAIL_1].'); // 'Sent to ana@example.com.'
 */
export function redactPii(text: string, vault: PiiVault, types?: readonly PiiType[]): Redaction {
  const entities = detectPii(text, types);
  return {
    text: replaceEntities(text, entities, (entity) => vault.placeholderFor(entity.type, entity.text)),
    entities,
  };
}

/** Replaces personal data and secrets with their type (`[email]`) for logs, traces and stored text. */
export function scrubPii(text: string, types?: readonly PiiType[]): string {
  const entities = detectPii(text, types);
  return entities.length === 0 ? text : replaceEntities(text, entities, (entity) => `[${entity.type}]`);
}

function replaceEntities(
  text: string,
  entities: readonly PiiEntity[],
  replace: (entity: PiiEntity) => string,
) {
  let out = '';
  let at = 0;
  for (const entity of entities) {
    out += text.slice(at, entity.start) + replace(entity);
    at = entity.end;
  }
  return out + text.slice(at);
}

function digits(text: string): string {
  return text.replace(/\D/g, '');
}

/** The Luhn check every payment card number (13-19 digits) passes; `length` for other numbers. */
export function luhnValid(number: string, length?: number): boolean {
  if (length === undefined ? number.length < 13 || number.length > 19 : number.length !== length)
    return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 is 1. */
export function ibanChecksumValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const d of value) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits) and NIE (X, Y or Z and 7 digits): the letter is the number mod 23. */
function spanishIdValid(id: string): boolean {
  const number = Number(id.slice(0, -1).replace(/^[XYZ]/, (letter) => String('XYZ'.indexOf(letter))));
  return DNI_LETTERS[number % 23] === id.at(-1);
}
