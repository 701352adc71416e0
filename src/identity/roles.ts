/**
 * @module identity/roles
 * The three roles an API key can have, in increasing order of power. Each route names the least role
 * that may call it (its declaration, server/route-spec.ts), so "may this key call that route" is one
 * comparison, and a stronger role can always do what a weaker one can.
 */

/** Roles, weakest first. */
export const ROLES = ['customer', 'operator', 'admin'] as const;

/** A key's role: `customer` asks, `operator` also reads jobs and conversations, `admin` does everything. */
export type Role = (typeof ROLES)[number];

/** Who may call a route: the least role, or `public` (no key needed, ever). */
export type RouteAccess = 'public' | Role;

/** Whether `role` is at least `minimum`. */
export function roleAllows(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
