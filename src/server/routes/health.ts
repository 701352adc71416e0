/**
 * @module server/routes/health
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers).
 */
import { Hono } from 'hono';
import type { Database } from '../../store/database.ts';
import type { ServerEnv } from '../identity.ts';

/** Routes. */
export function healthRoutes(db: Database) {
  return new Hono<ServerEnv>()
    .get('/healthz', (context) => context.json({ status: 'ok' }))
    .get('/readyz', async (context) => {
      try {
        await db.query('SELECT 1');
        return context.json({ status: 'ready', database: db.dialect });
      } catch {
        return context.json(
          {
            status: 'unavailable',
            error: { code: 'database_unavailable', message: 'The database does not answer.' },
          },
          503,
        );
      }
    });
}
