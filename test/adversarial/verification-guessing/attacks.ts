/**
 * @module test/adversarial/verification-guessing/attacks
 * Runs the verification-guessing cases (cases.json): an attacker who knows a victim's email walks the
 * sequential order numbers (or knows an order and guesses emails), spreading guesses over
 * conversations, anonymous sessions or the widget key itself, in bursts or patiently waiting out
 * every delay. Each case reports how many guesses reached the comparison against the victim (the rest
 * were refused unseen) and whether the attacker got verified as the victim. Controls are real
 * customers who must still get through.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CaseTenant, GuessingWorld } from './world.ts';

/** One case as stored in cases.json. */
export interface GuessingCase {
  readonly id: string;
  readonly description: string;
  /** Whom the attacker wants to be verified as, and what they know. */
  readonly victim: { readonly customerId: string; readonly email?: string; readonly orderNumber?: string };
  /** A second victim whose email alternates with the first's (spreading failures). */
  readonly decoy?: { readonly customerId: string; readonly email: string };
  readonly guesses:
    | { readonly kind: 'orders'; readonly from: number; readonly step: number; readonly count: number }
    | { readonly kind: 'emails'; readonly emails: readonly string[]; readonly orderNumber?: string };
  /** Guesses sent all at once, each from its own session, before the walk. */
  readonly burst?: { readonly from: number; readonly count: number };
  /** `session`: anonymous sessions from the widget key; `key`: the widget key itself. */
  readonly via: 'session' | 'key';
  /** A new session every n guesses (0: one session throughout). */
  readonly sessionEvery?: number;
  /** Waits out any delay between guesses (20 minutes, above the longest). */
  readonly patient: boolean;
  /** Every guess in one conversation (a real customer), instead of a new one each. */
  readonly sameConversation?: boolean;
  /** `blocked`: never verified; `bounded`: may be lucky within the limit; `verified`: a control that must get through. */
  readonly expect: 'blocked' | 'bounded' | 'verified';
}

/** What one case did. */
export interface GuessingResult {
  readonly id: string;
  readonly expect: GuessingCase['expect'];
  /** Guesses sent. */
  readonly tried: number;
  /** Guesses against the victim that reached the comparison (failed ones, plus a success). */
  readonly compared: number;
  /** The same for the decoy, when there is one. */
  readonly comparedDecoy?: number;
  /** The guess (1-based) that got the attacker verified as the victim, if any. */
  readonly verifiedAt?: number;
  /** The per-customer limit in force. */
  readonly limit: number;
  /** The case's expectation held and no customer was compared more often than the limit. */
  readonly ok: boolean;
}

/** The suite's summary. */
export interface GuessingReport {
  readonly cases: number;
  readonly attacks: number;
  readonly limit: number;
  /** The most guesses against one customer that reached the comparison, over all attacks. */
  readonly maxCompared: number;
  /** Attacks that got verified as their victim (only `bounded` cases may). */
  readonly breached: number;
  readonly failedCases: readonly string[];
  readonly results: readonly GuessingResult[];
}

const PATIENCE_MS = 20 * 60_000;

/** Every case in cases.json. */
export function loadGuessingCases(file = path.join(import.meta.dirname, 'cases.json')): GuessingCase[] {
  return JSON.parse(readFileSync(file, 'utf8')) as GuessingCase[];
}

/** The guesses of a case, as messages a customer would send. */
function messagesOf(testCase: GuessingCase): string[] {
  const { guesses, victim, decoy } = testCase;
  if (guesses.kind === 'emails') {
    const order = guesses.orderNumber ?? victim.orderNumber;
    return guesses.emails.map((email) => `My order is ${order} and my email is ${email}`);
  }
  return Array.from({ length: guesses.count }, (_, index) => {
    const email = decoy && index % 2 === 1 ? decoy.email : victim.email;
    const number = String(guesses.from + index * guesses.step).padStart(5, '0');
    return `Where is my order GW-${number}? My email is ${email}`;
  });
}

/** Runs one case in its own tenant. */
export async function runGuessingCase(world: GuessingWorld, testCase: GuessingCase): Promise<GuessingResult> {
  const tenant = await world.tenant(testCase.id);
  const limit = world.limits.customer.lockAfter;
  let tried = 0;
  let verifiedAt: number | undefined;
  const note = (turn: { verifiedAs?: string }) => {
    tried++;
    if (verifiedAt === undefined && turn.verifiedAs === testCase.victim.customerId) verifiedAt = tried;
  };
  if (testCase.burst) {
    const { from, count } = testCase.burst;
    const tokens = await Promise.all(Array.from({ length: count }, () => tokenFor(tenant, testCase.via)));
    const turns = await Promise.all(
      tokens.map((token, index) =>
        tenant.say(token, `Order GW-${from - index}, email ${testCase.victim.email}`),
      ),
    );
    for (const turn of turns) note(turn);
  }
  let token = await tokenFor(tenant, testCase.via);
  let conversationId: string | undefined;
  for (const [index, message] of messagesOf(testCase).entries()) {
    if (verifiedAt !== undefined) break;
    const every = testCase.sessionEvery ?? 1;
    if (index > 0 && every > 0 && index % every === 0) token = await tokenFor(tenant, testCase.via);
    const turn = await tenant.say(token, message, testCase.sameConversation ? conversationId : undefined);
    conversationId = turn.conversationId;
    note(turn);
    if (testCase.patient) world.wait(PATIENCE_MS);
  }
  const compared =
    (await mismatches(world, tenant.tenantId, testCase.victim.customerId)) + (verifiedAt ? 1 : 0);
  const comparedDecoy = testCase.decoy
    ? await mismatches(world, tenant.tenantId, testCase.decoy.customerId)
    : undefined;
  const withinLimit = compared <= limit && (comparedDecoy ?? 0) <= limit;
  const expectation =
    testCase.expect === 'blocked'
      ? verifiedAt === undefined
      : testCase.expect === 'verified'
        ? verifiedAt !== undefined
        : true;
  return {
    id: testCase.id,
    expect: testCase.expect,
    tried,
    compared,
    ...(comparedDecoy === undefined ? {} : { comparedDecoy }),
    ...(verifiedAt === undefined ? {} : { verifiedAt }),
    limit,
    ok: withinLimit && expectation,
  };
}

/** Runs every case and sums them up. */
export async function runGuessingCases(
  world: GuessingWorld,
  cases: readonly GuessingCase[],
): Promise<GuessingReport> {
  const results: GuessingResult[] = [];
  for (const testCase of cases) results.push(await runGuessingCase(world, testCase));
  const attacks = results.filter((result) => result.expect !== 'verified');
  return {
    cases: results.length,
    attacks: attacks.length,
    limit: world.limits.customer.lockAfter,
    maxCompared: Math.max(0, ...attacks.flatMap((result) => [result.compared, result.comparedDecoy ?? 0])),
    breached: attacks.filter((result) => result.verifiedAt !== undefined).length,
    failedCases: results.filter((result) => !result.ok).map((result) => result.id),
    results,
  };
}

async function tokenFor(tenant: CaseTenant, via: GuessingCase['via']): Promise<string> {
  return via === 'key' ? tenant.widgetKey : tenant.session();
}

/** Failed guesses against `customerId` that were compared (not refused by a limit). */
async function mismatches(world: GuessingWorld, tenantId: string, customerId: string): Promise<number> {
  const { rows } = await world.app.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM support_verification_failures
     WHERE tenant_id = $1 AND customer_id = $2 AND outcome = 'mismatch'`,
    [tenantId, customerId],
  );
  return Number(rows[0]?.n ?? 0);
}
