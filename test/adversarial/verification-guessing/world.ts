import { seedSupportStore } from '../../../apps/support/store/seed.ts';
import { openSupportApp } from '../../../apps/support/testing.ts';
import type { VerificationLimits } from '../../../apps/support/verification/limits.ts';
import type { Groundwork } from '../../../src/app.ts';
import { createHttpApp } from '../../../src/server/app.ts';
import type { TestBackend } from '../../../src/testing/databases.ts';

/** One verification turn as the attacker sees it. */
export interface GuessTurn {
  readonly status: number;
  readonly conversationId?: string;
  readonly reply?: string;
  /** The customer the turn verified as, when it did. */
  readonly verifiedAs?: string;
}

/** A tenant of its own for one case. */
export interface CaseTenant {
  readonly tenantId: string;
  /** The public widget key (customer role). */
  readonly widgetKey: string;
  /** A new anonymous session from the widget key. */
  session(): Promise<string>;
  /** One message with `token`, in a new conversation unless `conversationId` is given. */
  say(token: string, message: string, conversationId?: string): Promise<GuessTurn>;
}

/** The world. */
export interface GuessingWorld {
  readonly app: Groundwork;
  readonly limits: VerificationLimits;
  /** Moves the verification clock (an attacker waiting). */
  wait(ms: number): void;
  tenant(name: string): Promise<CaseTenant>;
  close(): Promise<void>;
}

/** Opens the world on `backend`. */
export async function openGuessingWorld(backend: TestBackend): Promise<GuessingWorld> {
  const db = await backend.open();
  let now = Date.parse('2026-11-20T12:00:00Z');
  const {
    app,
    support,
    http: supportHttp,
    close,
  } = await openSupportApp({ db, verification: { now: () => now } });
  const http = createHttpApp(app, { ...supportHttp, webRoot: null });
  const post = (token: string, route: string, body?: unknown) =>
    http.request(route, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    app,
    limits: support.verification.limits,
    wait: (ms) => {
      now += ms;
    },
    async tenant(tenantId) {
      await seedSupportStore(app.db, { tenantId });
      const widgetKey = (
        await app.keys.create({ tenantId, name: 'widget', role: 'customer' }, { actor: 'cli' })
      ).secret;
      return {
        tenantId,
        widgetKey,
        async session() {
          const response = await post(widgetKey, '/v1/sessions');
          if (response.status !== 201) throw new Error(`session refused: ${response.status}`);
          return ((await response.json()) as { token: string }).token;
        },
        async say(token, message, conversationId) {
          const response = await post(token, '/v1/support/messages', {
            message,
            ...(conversationId ? { conversationId } : {}),
          });
          if (response.status !== 200) return { status: response.status };
          const turn = (await response.json()) as {
            conversationId: string;
            reply: string;
            toolCalls: { name: string; output?: { ok?: boolean; customer?: { customerId?: string } } }[];
          };
          const verify = turn.toolCalls.find((call) => call.name === 'verify_customer')?.output;
          return {
            status: response.status,
            conversationId: turn.conversationId,
            reply: turn.reply,
            ...(verify?.ok && verify.customer?.customerId ? { verifiedAs: verify.customer.customerId } : {}),
          };
        },
      };
    },
    close: async () => {
      await close();
      await db.close();
    },
  };
}
