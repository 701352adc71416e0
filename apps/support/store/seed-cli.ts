/**
 * @module support/store/seed-cli
 * Loads the support app's demo orders into a database:
 *
 *   npx tsx apps/support/store/seed-cli.ts [--database-url postgres://…] [--data-dir ./data] [--tenant default]
 *
 * With neither option it uses DATABASE_URL, else the embedded data directory `./data`. Stop the server
 * first when it owns an embedded database (PGlite is single-process).
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../../../src/store/open.ts';
import { seedSupportStore } from './seed.ts';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    'data-dir': { type: 'string', default: './data' },
    tenant: { type: 'string', default: 'default' },
  },
});
const db = await openDatabase({ databaseUrl: values['database-url'], dataDir: values['data-dir'] });
try {
  const summary = await seedSupportStore(db, { tenantId: values.tenant });
  console.log(
    `Seeded tenant "${values.tenant}": ${summary.customers} customers, ${summary.orders} orders, ${summary.shipments} shipments, ${summary.returns} returns.`,
  );
} finally {
  await db.close();
}
