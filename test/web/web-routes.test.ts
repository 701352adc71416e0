/**
 * The web UI's route types (web/src/api/routes.gen.ts) are generated from the routes' declarations;
 * this fails when they are stale (regenerate with `GROUNDWORK_WRITE_WEB_ROUTES=1` on this test), and
 * when a path the UI's API modules call is one no route declares.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderWebRoutes, WEB_ROUTES_FILE } from '../../src/server/openapi/web-routes.ts';
import { declaredRoutes } from '../../src/testing/declared-routes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const API_DIR = path.join(ROOT, 'web/src/api');

describe('web route types', () => {
  it('are generated from the mounted routes’ declarations, and the UI calls only declared paths', async () => {
    const routes = await declaredRoutes();
    const expected = renderWebRoutes(routes);
    const file = path.join(ROOT, WEB_ROUTES_FILE);
    if (process.env.GROUNDWORK_WRITE_WEB_ROUTES === '1') writeFileSync(file, expected);
    expect(readFileSync(file, 'utf8')).toBe(expected);

    // Segment by segment: a route's `:param` and a UI's `${…}` segment match anything.
    const segments = (value: string) => value.split('/');
    const matches = (call: string[], route: string[]) =>
      call.length === route.length &&
      call.every((part, index) => part === '{}' || route[index]!.startsWith(':') || part === route[index]);
    const called = readdirSync(API_DIR)
      .filter((name) => name.endsWith('.ts') && name !== 'routes.gen.ts')
      .flatMap((name) =>
        [...readFileSync(path.join(API_DIR, name), 'utf8').matchAll(/`(\/v1\/[^`]*)`|'(\/v1\/[^']*)'/g)].map(
          (match) =>
            (match[1] ?? match[2]!)
              .replace(/\$\{[^{}]*\}/g, '{}')
              .split('?')[0]!
              // A value appended to a segment (`/v1/feedback${query}`) is a query string.
              .replace(/([^/]){}$/, '$1'),
        ),
      );
    expect(called.length).toBeGreaterThan(20);
    const unknown = called.filter(
      (call) => !routes.some((route) => matches(segments(call), segments(route.path))),
    );
    expect(unknown).toEqual([]);
  }, 240_000);
});
