/**
 * @module server/openapi/http-api-doc
 * The HTTP API reference page (docs/http-api.md), rendered from the routes' own declarations
 * (server/route-spec.ts), so the page lists exactly what the server mounts. `/openapi.json` is the
 * machine-readable version of the same; this page is for reading.
 */
import type { RouteSpec } from '../route-spec.ts';

/** Where the page lives, from the repository root. */
export const HTTP_API_DOC_FILE = 'docs/http-api.md';

const ROLE_TEXT: Readonly<Record<string, string>> = {
  public: 'anyone',
  customer: 'customer',
  operator: 'operator',
  admin: 'admin',
};

/** The page: one table per tag, routes in mount order. */
export function renderHttpApiDoc(routes: readonly RouteSpec[]): string {
  const byTag = new Map<string, RouteSpec[]>();
  for (const route of routes) byTag.set(route.tag, [...(byTag.get(route.tag) ?? []), route]);
  const lines = [
    '# HTTP API',
    '',
    '<!-- Generated from the route declarations by test/docs/http-api-doc.test.ts',
    '     (GROUNDWORK_WRITE_DOCS=1 npx vitest run test/docs/http-api-doc.test.ts); do not edit. -->',
    '',
    `${routes.length} routes, grouped as in \`GET /openapi.json\` (OpenAPI 3.1 with every request and response`,
    'schema). "Least role" is the lowest role whose key may call the route (admin > operator >',
    'customer); `anyone` needs no key. Errors are `{"error": {"code", "message"}}` with a stable code,',
    "except on the OpenAI-compatible routes, which answer in OpenAI's error shape. How answers stream,",
    'how errors and customer sessions work: [using-the-api.md](using-the-api.md).',
    '',
  ];
  for (const [tag, tagged] of byTag) {
    lines.push(
      `## ${tag}`,
      '',
      '| method and path | least role | what | statuses |',
      '| --- | --- | --- | --- |',
    );
    for (const route of tagged) {
      const statuses = Object.keys(route.responses).join(', ');
      const summary = route.summary.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
      lines.push(
        `| \`${route.method.toUpperCase()} ${route.path}\` | ${ROLE_TEXT[route.access] ?? route.access} | ${summary} | ${statuses} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
