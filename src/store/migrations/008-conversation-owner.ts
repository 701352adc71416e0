/**
 * @module store/migrations/008-conversation-owner
 * Who started a conversation (`key:<id>` or `oidc:<sub>`; null for anonymous callers), so one customer
 * cannot read or continue another customer's conversation in the same tenant.
 */
export const MIGRATION_008 = `
ALTER TABLE conversations ADD COLUMN owner text;
`;
