import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One owner per table (ADR 0039): SQL lives in `src/store` and the domain services; HTTP routes and
 * CLI commands reach data through those services, and the composition root only wires. The types
 * keep `db` out of `GroundworkServices`; this test keeps it out of the files that could still name it.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Statements as they appear in SQL text (upper case, as every query in the code base is written). */
const SQL = [
  /\bSELECT\b[^;]{0,400}?\bFROM\b/,
  /\bINSERT\s+INTO\b/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\.query\s*(<[^()]*>)?\s*\(\s*[`'"]/,
];
/** Reaching the database itself instead of a service. */
const DATABASE = [
  /\.db\b/,
  /\bdb\s*\.\s*(query|read|transaction|exec)\b/,
  /import[^;]*\b(Database|SqlExecutor|ReadExecutor)\b[^;]*from/,
  /from\s+'[^']*\/(spec|store)\/database\.ts'/,
];

function sources(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => path.join(folder, name));
}

function offences(file: string, patterns: readonly RegExp[]): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return patterns.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern}`);
}

describe('tables have one owner', () => {
  const edges = [...sources('src/server/routes'), ...sources('src/cli/commands')];

  it('finds the route and command files it checks', () => {
    expect(edges.length).toBeGreaterThan(40);
  });

  it('HTTP routes and CLI commands hold no SQL and never reach the database', () => {
    expect(edges.flatMap((file) => offences(file, [...SQL, ...DATABASE]))).toEqual([]);
  });

  it('the HTTP app and the CLI context hand out services, not the database', () => {
    expect(offences('src/server/app.ts', [...SQL, ...DATABASE])).toEqual([]);
    expect(offences('src/cli/context.ts', [...SQL, /\.db\b/])).toEqual([]);
  });

  it('the composition root wires and queries nothing', () => {
    expect(offences('src/app.ts', SQL)).toEqual([]);
  });

  it('the patterns catch a query, a statement and a database handle', () => {
    const caught = (text: string, patterns: readonly RegExp[]) =>
      patterns.some((pattern) => pattern.test(text));
    expect(caught("await app.db.query<{ n: number }>('SELECT count(*) FROM documents')", SQL)).toBe(true);
    expect(caught('`UPDATE ingest_jobs SET status = $1`', SQL)).toBe(true);
    expect(caught('`DELETE FROM documents WHERE id = $1`', SQL)).toBe(true);
    expect(caught("import type { Database } from '../../store/database.ts';", DATABASE)).toBe(true);
    expect(caught('checkRoleForDatabase(role, app.db.dialect);', DATABASE)).toBe(true);
    // Route comments name HTTP methods; they are not SQL.
    expect(caught(' * `DELETE /v1/sessions/:id` revokes one session.', SQL)).toBe(false);
    // Nor is reading a request's query string.
    expect(caught("parseWith(schema, context.req.query(), 'invalid_query')", SQL)).toBe(false);
    expect(caught('await tx.query(\n  `select 1`,', SQL)).toBe(true);
  });
});
