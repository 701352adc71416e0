import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';

describe('an in-memory database on the main thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite({ dataDir: 'memory://' });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('lets timers run during a long loop of statements, inside and outside transactions', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      // Statements resolve through promises alone; without the breaks no timer fires until the end.
      const started = performance.now();
      for (let n = 0; n < 20 || performance.now() - started < 400; n++) await db.query('SELECT 1');
      const outside = ticks;
      expect(outside).toBeGreaterThan(0);
      await db.transaction(async (tx) => {
        const begun = performance.now();
        for (let n = 0; n < 20 || performance.now() - begun < 400; n++) await tx.query('SELECT 1');
      });
      expect(ticks).toBeGreaterThan(outside);
    } finally {
      clearInterval(timer);
    }
  });
});
