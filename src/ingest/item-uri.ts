/**
 * @module ingest/item-uri
 * A job item is stored as one URI string; this maps sources to item URIs and back.
 */
import type { IngestSource } from './request.ts';

/** A source as seen by the worker after parsing its item URI. */
export type ItemTarget =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'upload'; readonly uploadId: string; readonly fileName: string };

const UPLOAD_PREFIX = 'upload://';

/** The item URI of an upload. */
export function uploadUri(source: Extract<IngestSource, { kind: 'upload' }>): string {
  return `${UPLOAD_PREFIX}${source.uploadId}/${encodeURIComponent(source.fileName)}`;
}

/** Parses an item URI. */
export function parseItemUri(uri: string): ItemTarget {
  if (uri.startsWith(UPLOAD_PREFIX)) {
    const rest = uri.slice(UPLOAD_PREFIX.length);
    const slash = rest.indexOf('/');
    return {
      kind: 'upload',
      uploadId: rest.slice(0, slash),
      fileName: decodeURIComponent(rest.slice(slash + 1)),
    };
  }
  if (/^https?:\/\//i.test(uri)) return { kind: 'url', url: uri };
  return { kind: 'path', path: uri };
}
