/**
 * What this server offers, read from its OpenAPI document, so pages for APIs that are not there
 * yet (feedback, inbox, traces…) hide instead of failing.
 */

/** Routes the UI has optional features for. */
export interface Capabilities {
  readonly feedback: boolean;
}

/** Reads `/openapi.json` (public); on any failure, nothing optional is offered. */
export async function loadCapabilities(fetcher: typeof fetch = fetch): Promise<Capabilities> {
  try {
    const response = await fetcher('/openapi.json');
    if (!response.ok) return { feedback: false };
    const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> };
    const has = (path: string, method: string) => Boolean(document.paths?.[path]?.[method]);
    return { feedback: has('/v1/feedback', 'post') };
  } catch {
    return { feedback: false };
  }
}
