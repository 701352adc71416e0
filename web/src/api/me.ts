/** Who the caller is: `GET /v1/me`. */
import type { ApiClient } from './http.ts';

/** Roles, weakest first (as src/identity/roles.ts). */
export const ROLES = ['customer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `minimum` may. */
export function roleAllows(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** The caller. `authenticated` is false when the server runs without keys (every caller is admin). */
export interface Me {
  readonly tenantId: string;
  readonly role: Role;
  /** The key's id (an escalation's `claimedBy`); null with auth off. */
  readonly keyId: string | null;
  readonly keyPrefix: string | null;
  readonly keyName: string | null;
  readonly expiresAt: string | null;
  readonly authenticated: boolean;
}

/** Reads the caller; `key` probes a typed key without signing the current session out. */
export function getMe(client: ApiClient, key?: string | null): Promise<Me> {
  return client
    .send('/v1/me', key === undefined ? {} : { key })
    .then((response) => response.json() as Promise<Me>);
}
