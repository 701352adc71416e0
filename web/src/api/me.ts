/** Who the caller is: `GET /v1/me`. */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/** Roles, weakest first (as src/identity/roles.ts). */
export const ROLES = ['customer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `minimum` may. */
export function roleAllows(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/**
 * The caller. `authenticated` is false when the server runs without keys (every caller is admin);
 * `keyId` (an escalation's `claimedBy`) is null then.
 */
export type Me = ApiResponse<'get /v1/me'>;

/** Reads the caller; `key` probes a typed key without signing the current session out. */
export function getMe(client: ApiClient, key?: string | null): Promise<Me> {
  return client
    .send('/v1/me', key === undefined ? {} : { key })
    .then((response) => response.json() as Promise<Me>);
}
