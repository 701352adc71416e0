/**
 * Runs before each test file (vitest.config.ts `setupFiles`): in-memory databases start from a
 * migrated dump instead of an empty cluster (testing/pglite-template.ts). A test of the migrations
 * themselves opens its database with a `template` of its own or clears it with
 * `useInMemoryTemplate(undefined)`.
 */
import { useMigratedTemplate } from './pglite-template.ts';

await useMigratedTemplate();
