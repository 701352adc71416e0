// The floor under `groundwork status` on the embedded engine: open an existing PGlite data directory
// with pgvector, run one query, close. Usage: node bench/pglite-open.mjs <data-dir>/pg
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

const db = await PGlite.create(process.argv[2], { extensions: { vector } });
await db.query('SELECT count(*) FROM documents');
await db.close();
