/**
 * docs/http-api.md is generated from the mounted routes' declarations; this fails when it is stale
 * (regenerate with `GROUNDWORK_WRITE_DOCS=1` on this test) or when a route is missing from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../src/config/env-vars.ts';
import { HTTP_API_DOC_FILE, renderHttpApiDoc } from '../../src/server/openapi/http-api-doc.ts';
import { declaredRoutes } from '../../src/testing/declared-routes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the HTTP API reference page', () => {
  it('lists every mounted route as it declares itself', async () => {
    const routes = await declaredRoutes();
    const expected = renderHttpApiDoc(routes);
    const file = path.join(ROOT, HTTP_API_DOC_FILE);
    if (process.env.GROUNDWORK_WRITE_DOCS === '1') writeFileSync(file, expected);
    const page = readFileSync(file, 'utf8');
    expect(page).toBe(expected);
    for (const route of routes) expect(page).toContain(`\`${route.method.toUpperCase()} ${route.path}\``);
  }, 240_000);

  it('the configuration page lists every environment variable the configuration reads', () => {
    const page = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
    const missing = ENV_VARIABLES.filter((variable) => !page.includes(`\`${variable.name}\``));
    expect(missing.map((variable) => variable.name)).toEqual([]);
  });
});
